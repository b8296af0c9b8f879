package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * The two roles of an OPAQUE run over raw RFC 9807 bytes, so that any client (ours or the npm
 * package's) can be paired with any server, and the flows that tests run between them.
 */
final class Peers {
    private Peers() {}

    /** Identifiers as the npm API takes them (strings, null = absent); ours get their UTF-8 bytes. */
    record Ids(String client, String server) {
        static final Ids NONE = new Ids(null, null);

        Identities toJava() {
            return new Identities(utf8(client), utf8(server));
        }
    }

    record Registration(byte[] record, byte[] exportKey) {}

    record Login(byte[] ke3, byte[] sessionKey, byte[] exportKey) {}

    /** One client; it keeps the state of its current registration or login. */
    interface Client {
        byte[] startRegistration(String password);

        Registration finishRegistration(byte[] response) throws OpaqueException;

        byte[] startLogin(String password);

        /** @return empty when the client detects the failure (wrong password, fake record, bad MAC) */
        Optional<Login> finishLogin(byte[] ke2) throws OpaqueException;
    }

    /** One server; it keeps the state of its current login. */
    interface Server {
        byte[] serverPublicKey();

        byte[] registrationResponse(byte[] request, String userIdentifier) throws OpaqueException;

        /** @param record the stored record, or null for an unknown user */
        byte[] startLogin(byte[] record, byte[] ke1, String userIdentifier) throws OpaqueException;

        /** @return the session key, or empty when KE3 is rejected */
        Optional<byte[]> finishLogin(byte[] ke3) throws OpaqueException;
    }

    static Registration register(Client client, Server server, String userIdentifier, String password)
            throws OpaqueException {
        byte[] request = client.startRegistration(password);
        return client.finishRegistration(server.registrationResponse(request, userIdentifier));
    }

    /** Runs KE1, KE2 and the client's finish; the server's state stays pending. */
    static Optional<Login> clientLogin(
            Client client, Server server, byte[] record, String userIdentifier, String password)
            throws OpaqueException {
        byte[] ke2 = server.startLogin(record, client.startLogin(password), userIdentifier);
        return client.finishLogin(ke2);
    }

    /**
     * A full login that must succeed: the server accepts KE3, both session keys are equal and
     * the client re-derives the export key of the registration.
     */
    static Login assertLogin(
            Client client, Server server, Registration registration, String userIdentifier, String password)
            throws OpaqueException {
        Optional<Login> login = clientLogin(client, server, registration.record(), userIdentifier, password);
        assertTrue(login.isPresent(), "client rejected the server");
        Optional<byte[]> serverKey = server.finishLogin(login.get().ke3());
        assertTrue(serverKey.isPresent(), "server rejected KE3");
        assertArrayEquals(login.get().sessionKey(), serverKey.get(), "session keys differ");
        assertArrayEquals(registration.exportKey(), login.get().exportKey(), "export key changed");
        assertEquals(login.get().sessionKey().length, registration.exportKey().length, "key length is Nh");
        return login.get();
    }

    static byte[] utf8(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }
}
