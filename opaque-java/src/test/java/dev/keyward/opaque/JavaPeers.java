package dev.keyward.opaque;

import java.util.Optional;

/** Our {@link OpaqueClient} and {@link OpaqueServer} as {@link Peers}, parsing every message from its bytes. */
final class JavaPeers {
    private JavaPeers() {}

    static final class Client implements Peers.Client {
        private final OpaqueClient client;
        private final OpaqueSuite suite;
        private final Identities identities;
        private OpaqueClient.RegistrationState registration;
        private OpaqueClient.LoginState login;

        Client(OpaqueConfiguration config, Peers.Ids ids) {
            this.client = new OpaqueClient(config);
            this.suite = config.suite();
            this.identities = ids.toJava();
        }

        @Override
        public byte[] startRegistration(String password) {
            OpaqueClient.RegistrationStart start = client.startRegistration(Peers.utf8(password));
            registration = start.state();
            return start.request().toBytes();
        }

        @Override
        public Peers.Registration finishRegistration(byte[] response) throws OpaqueException {
            OpaqueClient.RegistrationResult result = client.finishRegistration(
                    registration, RegistrationResponse.fromBytes(suite, response), identities);
            return new Peers.Registration(result.record().toBytes(), result.exportKey());
        }

        @Override
        public byte[] startLogin(String password) {
            OpaqueClient.LoginStart start = client.startLogin(Peers.utf8(password));
            login = start.state();
            return start.ke1().toBytes();
        }

        @Override
        public Optional<Peers.Login> finishLogin(byte[] ke2) throws OpaqueException {
            KE2 parsed = KE2.fromBytes(suite, ke2);
            try {
                OpaqueClient.LoginResult result = client.finishLogin(login, parsed, identities);
                return Optional.of(new Peers.Login(result.ke3().toBytes(), result.sessionKey(), result.exportKey()));
            } catch (AuthenticationException e) {
                return Optional.empty();
            }
        }
    }

    static final class Server implements Peers.Server {
        private final OpaqueServer server;
        private final ServerSetup setup;
        private final OpaqueSuite suite;
        private final Identities identities;
        private ServerLoginState login;

        Server(OpaqueConfiguration config, ServerSetup setup, Peers.Ids ids) {
            this.server = new OpaqueServer(config, setup);
            this.setup = setup;
            this.suite = config.suite();
            this.identities = ids.toJava();
        }

        @Override
        public byte[] serverPublicKey() {
            return setup.serverPublicKey();
        }

        @Override
        public byte[] registrationResponse(byte[] request, String userIdentifier) throws OpaqueException {
            return server.createRegistrationResponse(
                            RegistrationRequest.fromBytes(suite, request), Peers.utf8(userIdentifier))
                    .toBytes();
        }

        @Override
        public byte[] startLogin(byte[] record, byte[] ke1, String userIdentifier) throws OpaqueException {
            RegistrationRecord parsed = record == null ? null : RegistrationRecord.fromBytes(suite, record);
            OpaqueServer.ServerLoginStart start =
                    server.startLogin(parsed, KE1.fromBytes(suite, ke1), Peers.utf8(userIdentifier), identities);
            login = start.state();
            return start.ke2().toBytes();
        }

        @Override
        public Optional<byte[]> finishLogin(byte[] ke3) throws OpaqueException {
            KE3 parsed = KE3.fromBytes(suite, ke3);
            try {
                return Optional.of(server.finishLogin(login, parsed));
            } catch (AuthenticationException e) {
                return Optional.empty();
            }
        }
    }
}
