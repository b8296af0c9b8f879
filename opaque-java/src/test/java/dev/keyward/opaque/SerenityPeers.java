package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Optional;

/** The npm package's client and server as {@link Peers}; every value crosses as unpadded base64url. */
final class SerenityPeers {
    private SerenityPeers() {}

    /** The package's identifiers option, or null to leave it out (the public keys stand in). */
    static ObjectNode identifiers(Peers.Ids ids) {
        if (ids.client() == null && ids.server() == null) {
            return null;
        }
        ObjectNode node = SerenityDriver.params();
        if (ids.client() != null) {
            node.put("client", ids.client());
        }
        if (ids.server() != null) {
            node.put("server", ids.server());
        }
        return node;
    }

    static byte[] bytes(JsonNode result, String field) {
        return Base64Url.decode(result.get(field).asText());
    }

    static final class Client implements Peers.Client {
        private final SerenityDriver driver;
        private final JsonNode keyStretching;
        private final ObjectNode identifiers;
        private String password;
        private String state;
        private byte[] serverStaticPublicKey;

        Client(SerenityDriver driver, SerenityFlavor flavor, SerenityFlavor.Stretching stretching, Peers.Ids ids) {
            this.driver = driver;
            this.keyStretching = flavor.serenityKeyStretching(stretching);
            this.identifiers = identifiers(ids);
        }

        /** @return the server key the package reported at its last successful finish */
        byte[] serverStaticPublicKey() {
            return serverStaticPublicKey;
        }

        @Override
        public byte[] startRegistration(String password) {
            this.password = password;
            JsonNode r = driver.call(
                    "client.startRegistration", SerenityDriver.params().put("password", password));
            state = r.get("clientRegistrationState").asText();
            return bytes(r, "registrationRequest");
        }

        @Override
        public Peers.Registration finishRegistration(byte[] response) {
            ObjectNode p = finishParams()
                    .put("clientRegistrationState", state)
                    .put("registrationResponse", Base64Url.encode(response));
            JsonNode r = driver.call("client.finishRegistration", p);
            serverStaticPublicKey = bytes(r, "serverStaticPublicKey");
            return new Peers.Registration(bytes(r, "registrationRecord"), bytes(r, "exportKey"));
        }

        @Override
        public byte[] startLogin(String password) {
            this.password = password;
            JsonNode r =
                    driver.call("client.startLogin", SerenityDriver.params().put("password", password));
            state = r.get("clientLoginState").asText();
            return bytes(r, "startLoginRequest");
        }

        @Override
        public Optional<Peers.Login> finishLogin(byte[] ke2) {
            ObjectNode p = finishParams().put("clientLoginState", state).put("loginResponse", Base64Url.encode(ke2));
            SerenityDriver.Reply reply = driver.tryCall("client.finishLogin", p);
            if (!reply.ok()) {
                // The package reports authentication failures only by returning undefined.
                assertTrue(
                        reply.undefinedResult(), "finishLogin threw instead of returning undefined: " + reply.error());
                return Optional.empty();
            }
            JsonNode r = reply.result();
            serverStaticPublicKey = bytes(r, "serverStaticPublicKey");
            return Optional.of(
                    new Peers.Login(bytes(r, "finishLoginRequest"), bytes(r, "sessionKey"), bytes(r, "exportKey")));
        }

        private ObjectNode finishParams() {
            ObjectNode p = SerenityDriver.params().put("password", password);
            if (keyStretching != null) {
                p.set("keyStretching", keyStretching);
            }
            if (identifiers != null) {
                p.set("identifiers", identifiers);
            }
            return p;
        }
    }

    static final class Server implements Peers.Server {
        private final SerenityDriver driver;
        private final String setup;
        private final ObjectNode identifiers;
        private String state;

        /** @param setup the package's serverSetup string (from server.createSetup or our ServerSetup) */
        Server(SerenityDriver driver, String setup, Peers.Ids ids) {
            this.driver = driver;
            this.setup = setup;
            this.identifiers = identifiers(ids);
        }

        static String createSetup(SerenityDriver driver) {
            return driver.call("server.createSetup", SerenityDriver.params()).asText();
        }

        String setup() {
            return setup;
        }

        @Override
        public byte[] serverPublicKey() {
            return Base64Url.decode(
                    driver.call("server.getPublicKey", SerenityDriver.params().put("serverSetup", setup))
                            .asText());
        }

        @Override
        public byte[] registrationResponse(byte[] request, String userIdentifier) {
            ObjectNode p = SerenityDriver.params()
                    .put("serverSetup", setup)
                    .put("userIdentifier", userIdentifier)
                    .put("registrationRequest", Base64Url.encode(request));
            return bytes(driver.call("server.createRegistrationResponse", p), "registrationResponse");
        }

        @Override
        public byte[] startLogin(byte[] record, byte[] ke1, String userIdentifier) {
            ObjectNode p = withIdentifiers(SerenityDriver.params()
                    .put("serverSetup", setup)
                    .put("userIdentifier", userIdentifier)
                    .put("startLoginRequest", Base64Url.encode(ke1)));
            if (record == null) {
                p.putNull("registrationRecord");
            } else {
                p.put("registrationRecord", Base64Url.encode(record));
            }
            JsonNode r = driver.call("server.startLogin", p);
            state = r.get("serverLoginState").asText();
            return bytes(r, "loginResponse");
        }

        @Override
        public Optional<byte[]> finishLogin(byte[] ke3) {
            ObjectNode p = withIdentifiers(SerenityDriver.params()
                    .put("serverLoginState", state)
                    .put("finishLoginRequest", Base64Url.encode(ke3)));
            SerenityDriver.Reply reply = driver.tryCall("server.finishLogin", p);
            if (!reply.ok()) {
                // A bad KE3 makes opaque-ke's ServerLogin::finish fail; anything else is a test bug.
                assertTrue(
                        reply.error().startsWith("opaque protocol error at \"finish server login\""),
                        "unexpected server.finishLogin error: " + reply.error());
                return Optional.empty();
            }
            return Optional.of(bytes(reply.result(), "sessionKey"));
        }

        private ObjectNode withIdentifiers(ObjectNode p) {
            if (identifiers != null) {
                p.set("identifiers", identifiers);
            }
            return p;
        }
    }
}
