package dev.keyward.opaque;

import static dev.keyward.opaque.TestVectors.hex;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.EnumMap;
import java.util.Map;

/**
 * The fixed counterpart a fuzz target feeds its parsed message to: a server and a client per
 * suite, built from the first real RFC 9807 vector of that suite (no explicit identities). The
 * vector's own messages authenticate against the states made here, so the seed corpus reaches
 * the success paths of finishLogin too, not only the failures.
 */
final class FuzzFixture {
    private static final Map<OpaqueSuite, FuzzFixture> BY_SUITE = loadAll();

    final OpaqueSuite suite;
    final OpaqueServer server;
    final OpaqueClient client;
    final RegistrationRecord record;
    final byte[] credentialIdentifier;
    final RegistrationRequest registrationRequest;
    final KE1 ke1;
    final KE2 ke2;
    final KE3 ke3;
    final byte[] sessionKey;
    private final JsonNode vector;

    private FuzzFixture(OpaqueSuite suite, JsonNode v, JsonNode fake) throws InvalidMessageException {
        this.suite = suite;
        this.vector = v;
        OpaqueConfiguration config = new OpaqueConfiguration(
                suite, hex(v.get("config").get("Context").asText()), Ksf.IDENTITY);
        ServerSetup setup = ServerSetup.fromBytes(
                suite, Bytes.concat(in("oprf_seed"), in("server_private_key"), in(fake, "client_public_key")));
        this.server = new OpaqueServer(config, setup);
        this.client = new OpaqueClient(config);
        this.record = RegistrationRecord.fromBytes(suite, out("registration_upload"));
        this.credentialIdentifier = in("credential_identifier");
        this.registrationRequest = RegistrationRequest.fromBytes(suite, out("registration_request"));
        this.ke1 = KE1.fromBytes(suite, out("KE1"));
        this.ke2 = KE2.fromBytes(suite, out("KE2"));
        this.ke3 = KE3.fromBytes(suite, out("KE3"));
        this.sessionKey = out("session_key");
    }

    static FuzzFixture of(OpaqueSuite suite) {
        return BY_SUITE.get(suite);
    }

    /** A server state that accepts exactly the vector's KE3: the vector's nonces replace randomness. */
    ServerLoginState serverStateForVectorKe3() {
        return server.startLogin(
                        record,
                        ke1,
                        credentialIdentifier,
                        Identities.NONE,
                        in("masking_nonce"),
                        in("server_nonce"),
                        in("server_keyshare_seed"))
                .state();
    }

    /** A client login state that accepts exactly the vector's KE2 (a fresh one: finishLogin destroys it). */
    OpaqueClient.LoginState clientStateForVectorKe2() {
        return client.startLogin(in("password"), in("blind_login"), in("client_nonce"), in("client_keyshare_seed"))
                .state();
    }

    /** A client registration state that, with the vector's response, reproduces the vector's record. */
    OpaqueClient.RegistrationState clientRegistrationState() {
        return client.startRegistration(in("password"), in("blind_registration"))
                .state();
    }

    private byte[] in(String name) {
        return in(vector, name);
    }

    private byte[] out(String name) {
        return hex(vector.get("outputs").get(name).asText());
    }

    private static byte[] in(JsonNode v, String name) {
        return hex(v.get("inputs").get(name).asText());
    }

    private static Map<OpaqueSuite, FuzzFixture> loadAll() {
        try {
            Map<OpaqueSuite, JsonNode> real = new EnumMap<>(OpaqueSuite.class);
            Map<OpaqueSuite, JsonNode> fake = new EnumMap<>(OpaqueSuite.class);
            for (JsonNode v : TestVectors.load("opaque-rfc9807.json")) {
                JsonNode c = v.get("config");
                if (v.get("inputs").has("client_identity") && !isFake(c)) {
                    continue;
                }
                OpaqueSuite suite = TestVectors.suiteOf(c);
                (isFake(c) ? fake : real).putIfAbsent(suite, v);
            }
            Map<OpaqueSuite, FuzzFixture> out = new EnumMap<>(OpaqueSuite.class);
            for (OpaqueSuite suite : OpaqueSuite.values()) {
                out.put(suite, new FuzzFixture(suite, real.get(suite), fake.get(suite)));
            }
            return out;
        } catch (InvalidMessageException e) {
            throw new IllegalStateException("RFC 9807 vector does not parse", e);
        }
    }

    private static boolean isFake(JsonNode config) {
        return Boolean.parseBoolean(config.get("Fake").asText().toLowerCase());
    }
}
