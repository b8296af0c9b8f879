package dev.keyward.opaque;

import static dev.keyward.opaque.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** RFC 9807 Appendix C: every byte of every real and fake vector, for all three configurations. */
class OpaqueVectorsTest {

    static Stream<JsonNode> vectors(boolean fake) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode v : TestVectors.load("opaque-rfc9807.json")) {
            JsonNode c = v.get("config");
            if (Boolean.parseBoolean(c.get("Fake").asText().toLowerCase()) == fake) {
                out.add(v);
            }
        }
        return out.stream();
    }

    static Stream<JsonNode> realVectors() throws Exception {
        return vectors(false);
    }

    static Stream<JsonNode> fakeVectors() throws Exception {
        return vectors(true);
    }

    @Test
    void coversEverySuiteRealAndFake() throws Exception {
        assertEquals(6, realVectors().count());
        assertEquals(3, fakeVectors().count());
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            assertEquals(
                    2,
                    realVectors()
                            .filter(v -> TestVectors.suiteOf(v.get("config")) == suite)
                            .count());
            assertEquals(
                    1,
                    fakeVectors()
                            .filter(v -> TestVectors.suiteOf(v.get("config")) == suite)
                            .count());
        }
    }

    static OpaqueConfiguration config(JsonNode v) throws InvalidMessageException {
        JsonNode c = v.get("config");
        assertEquals("Identity", c.get("KSF").asText());
        OpaqueSuite suite = TestVectors.suiteOf(c);
        assertEquals(suite.hashLength(), c.get("Nh").asInt());
        assertEquals(suite.publicKeyLength(), c.get("Npk").asInt());
        return new OpaqueConfiguration(suite, hex(c.get("Context").asText()), Ksf.IDENTITY);
    }

    static byte[] in(JsonNode v, String name) {
        return hex(v.get("inputs").get(name).asText());
    }

    static byte[] out(JsonNode v, String name) {
        return hex(v.get("outputs").get(name).asText());
    }

    static Identities identities(JsonNode v) {
        JsonNode inputs = v.get("inputs");
        return new Identities(
                inputs.has("client_identity") ? in(v, "client_identity") : null,
                inputs.has("server_identity") ? in(v, "server_identity") : null);
    }

    static ServerSetup setup(OpaqueSuite suite, JsonNode v, byte[] fakeClientPublicKey) throws Exception {
        ServerSetup setup = ServerSetup.fromBytes(
                suite, Bytes.concat(in(v, "oprf_seed"), in(v, "server_private_key"), fakeClientPublicKey));
        assertArrayEquals(in(v, "server_public_key"), setup.serverPublicKey());
        return setup;
    }

    @ParameterizedTest
    @MethodSource("realVectors")
    void realVector(JsonNode v) throws Exception {
        OpaqueConfiguration config = config(v);
        OpaqueSuite suite = config.suite();
        Identities ids = identities(v);
        byte[] credentialId = in(v, "credential_identifier");
        byte[] password = in(v, "password");
        // Any valid public key does as the fake key here; real logins never use it.
        ServerSetup setup = setup(suite, v, in(v, "server_public_key"));
        OpaqueClient client = new OpaqueClient(config);
        OpaqueServer server = new OpaqueServer(config, setup);

        // Registration, each message re-parsed from its bytes as it would cross the wire.
        OpaqueClient.RegistrationStart regStart = client.startRegistration(password, in(v, "blind_registration"));
        assertArrayEquals(out(v, "registration_request"), regStart.request().toBytes());
        RegistrationResponse regResponse = server.createRegistrationResponse(
                RegistrationRequest.fromBytes(suite, out(v, "registration_request")), credentialId);
        assertArrayEquals(out(v, "registration_response"), regResponse.toBytes());
        OpaqueClient.RegistrationResult reg = client.finishRegistration(
                regStart.state(),
                RegistrationResponse.fromBytes(suite, out(v, "registration_response")),
                ids,
                in(v, "envelope_nonce"));
        assertArrayEquals(out(v, "registration_upload"), reg.record().toBytes());
        assertArrayEquals(out(v, "export_key"), reg.exportKey());

        // Login.
        OpaqueClient.LoginStart loginStart =
                client.startLogin(password, in(v, "blind_login"), in(v, "client_nonce"), in(v, "client_keyshare_seed"));
        assertArrayEquals(out(v, "KE1"), loginStart.ke1().toBytes());
        RegistrationRecord record = RegistrationRecord.fromBytes(suite, out(v, "registration_upload"));
        OpaqueServer.ServerLoginStart serverStart = server.startLogin(
                record,
                KE1.fromBytes(suite, out(v, "KE1")),
                credentialId,
                ids,
                in(v, "masking_nonce"),
                in(v, "server_nonce"),
                in(v, "server_keyshare_seed"));
        assertArrayEquals(out(v, "KE2"), serverStart.ke2().toBytes());
        OpaqueClient.LoginResult result =
                client.finishLogin(loginStart.state(), KE2.fromBytes(suite, out(v, "KE2")), ids);
        assertArrayEquals(out(v, "KE3"), result.ke3().toBytes());
        assertArrayEquals(out(v, "session_key"), result.sessionKey());
        assertArrayEquals(out(v, "export_key"), result.exportKey());

        // The server's state survives serialization, and accepts exactly the right KE3.
        ServerLoginState state =
                ServerLoginState.fromBytes(suite, serverStart.state().toBytes());
        assertArrayEquals(out(v, "session_key"), server.finishLogin(state, KE3.fromBytes(suite, out(v, "KE3"))));
    }

    @ParameterizedTest
    @MethodSource("realVectors")
    void serverRejectsTamperedKe3(JsonNode v) throws Exception {
        OpaqueConfiguration config = config(v);
        OpaqueSuite suite = config.suite();
        OpaqueServer server = new OpaqueServer(config, setup(suite, v, in(v, "server_public_key")));
        RegistrationRecord record = RegistrationRecord.fromBytes(suite, out(v, "registration_upload"));
        OpaqueServer.ServerLoginStart start = server.startLogin(
                record,
                KE1.fromBytes(suite, out(v, "KE1")),
                in(v, "credential_identifier"),
                identities(v),
                in(v, "masking_nonce"),
                in(v, "server_nonce"),
                in(v, "server_keyshare_seed"));
        byte[] ke3 = out(v, "KE3");
        ke3[ke3.length - 1] ^= 1;
        assertThrows(AuthenticationException.class, () -> server.finishLogin(start.state(), KE3.fromBytes(suite, ke3)));
    }

    @ParameterizedTest
    @MethodSource("realVectors")
    void clientRejectsWrongPassword(JsonNode v) throws Exception {
        OpaqueConfiguration config = config(v);
        OpaqueClient client = new OpaqueClient(config);
        byte[] wrong = Bytes.concat(in(v, "password"), new byte[] {'!'});
        OpaqueClient.LoginStart start =
                client.startLogin(wrong, in(v, "blind_login"), in(v, "client_nonce"), in(v, "client_keyshare_seed"));
        KE2 ke2 = KE2.fromBytes(config.suite(), out(v, "KE2"));
        assertThrows(AuthenticationException.class, () -> client.finishLogin(start.state(), ke2, identities(v)));
    }

    @ParameterizedTest
    @MethodSource("fakeVectors")
    void fakeVector(JsonNode v) throws Exception {
        OpaqueConfiguration config = config(v);
        OpaqueSuite suite = config.suite();
        ServerSetup setup = setup(suite, v, in(v, "client_public_key"));
        OpaqueServer server = new OpaqueServer(config, setup);
        RegistrationRecord fake = server.fakeRecord(in(v, "masking_key"));
        OpaqueServer.ServerLoginStart start = server.startLogin(
                fake,
                KE1.fromBytes(suite, in(v, "KE1")),
                in(v, "credential_identifier"),
                identities(v),
                in(v, "masking_nonce"),
                in(v, "server_nonce"),
                in(v, "server_keyshare_seed"));
        assertArrayEquals(out(v, "KE2"), start.ke2().toBytes());
    }
}
