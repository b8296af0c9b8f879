package dev.keyward.opaque;

import static dev.keyward.opaque.FuzzSupport.assertCanonical;
import static dev.keyward.opaque.FuzzSupport.authenticatedOrNull;
import static dev.keyward.opaque.FuzzSupport.parsedOrNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer fuzz targets for every message and state parser, each input tried against both suites
 * (the suites' lengths differ, so one input usually reaches one suite past the length check).
 * Properties: a parser rejects with {@link InvalidMessageException} and nothing else; what it
 * accepts is canonical; and whatever parses can be handed to the protocol, which then only
 * succeeds or fails with {@link AuthenticationException}.
 *
 * <p>Without {@code JAZZER_FUZZ} each target runs once per file in
 * {@code src/test/resources/dev/keyward/opaque/MessageParsersFuzzTestInputs/<method>/} (plus
 * an empty input): RFC 9807 vector messages and truncated, overlong, identity, non-canonical
 * and off-curve variants of them.
 */
class MessageParsersFuzzTest {

    @FuzzTest
    void registrationRequest(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            RegistrationRequest request = parsedOrNull(() -> RegistrationRequest.fromBytes(suite, input));
            if (request != null) {
                assertCanonical(input, request.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                byte[] response = f.server
                        .createRegistrationResponse(request, f.credentialIdentifier)
                        .toBytes();
                // What the server answers to any accepted request must parse on the client.
                assertCanonical(
                        response,
                        RegistrationResponse.fromBytes(suite, response).toBytes());
            }
        }
    }

    @FuzzTest
    void registrationResponse(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            RegistrationResponse response = parsedOrNull(() -> RegistrationResponse.fromBytes(suite, input));
            if (response != null) {
                assertCanonical(input, response.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                // A malicious server's response must still give the client an uploadable record.
                byte[] record = f.client
                        .finishRegistration(f.clientRegistrationState(), response, Identities.NONE)
                        .record()
                        .toBytes();
                assertCanonical(
                        record, RegistrationRecord.fromBytes(suite, record).toBytes());
            }
        }
    }

    @FuzzTest
    void registrationRecord(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            RegistrationRecord record = parsedOrNull(() -> RegistrationRecord.fromBytes(suite, input));
            if (record != null) {
                assertCanonical(input, record.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                loginAgainst(f, record, f.ke1);
            }
        }
    }

    @FuzzTest
    void ke1(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            KE1 ke1 = parsedOrNull(() -> KE1.fromBytes(suite, input));
            if (ke1 != null) {
                assertCanonical(input, ke1.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                loginAgainst(f, f.record, ke1);
                assertNull(loginAgainst(f, null, ke1), "a login against the fake record succeeded");
            }
        }
    }

    @FuzzTest
    void ke2(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            KE2 ke2 = parsedOrNull(() -> KE2.fromBytes(suite, input));
            if (ke2 != null) {
                assertCanonical(input, ke2.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                // The client's side of a malicious server: authenticate it or fail, nothing else.
                authenticatedOrNull(() -> f.client.finishLogin(f.clientStateForVectorKe2(), ke2, Identities.NONE));
            }
        }
    }

    @FuzzTest
    void ke3(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            KE3 ke3 = parsedOrNull(() -> KE3.fromBytes(suite, input));
            if (ke3 != null) {
                assertCanonical(input, ke3.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                byte[] sessionKey = authenticatedOrNull(() -> f.server.finishLogin(f.serverStateForVectorKe3(), ke3));
                if (sessionKey != null) {
                    // Only the one correct MAC may authenticate, and it yields the vector's key.
                    assertArrayEquals(f.ke3.toBytes(), input);
                    assertArrayEquals(f.sessionKey, sessionKey);
                }
                ServerLoginState fake = f.server
                        .startLogin(null, f.ke1, f.credentialIdentifier, Identities.NONE)
                        .state();
                assertNull(
                        authenticatedOrNull(() -> f.server.finishLogin(fake, ke3)),
                        "a KE3 authenticated against the fake record");
            }
        }
    }

    @FuzzTest
    void serverLoginState(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            ServerLoginState state = parsedOrNull(() -> ServerLoginState.fromBytes(suite, input));
            if (state != null) {
                assertCanonical(input, state.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                byte[] sessionKey = authenticatedOrNull(() -> f.server.finishLogin(state, f.ke3));
                if (sessionKey != null) {
                    // Layout: expected client MAC || session key.
                    int nh = suite.hashLength();
                    assertArrayEquals(f.ke3.toBytes(), Arrays.copyOfRange(input, 0, nh));
                    assertArrayEquals(Arrays.copyOfRange(input, nh, 2 * nh), sessionKey);
                }
            }
        }
    }

    @FuzzTest
    void serverSetup(byte[] input) throws Exception {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            ServerSetup setup = parsedOrNull(() -> ServerSetup.fromBytes(suite, input));
            if (setup != null) {
                assertCanonical(input, setup.toBytes());
                FuzzFixture f = FuzzFixture.of(suite);
                // Any setup the parser accepts must serve registrations and unknown users.
                OpaqueServer server = new OpaqueServer(f.server.configuration(), setup);
                server.createRegistrationResponse(f.registrationRequest, f.credentialIdentifier);
                ServerLoginState fake = server.startLogin(null, f.ke1, f.credentialIdentifier, Identities.NONE)
                        .state();
                assertNull(
                        authenticatedOrNull(() -> server.finishLogin(fake, f.ke3)),
                        "a KE3 authenticated against the fake record");
            }
        }
    }

    /**
     * Runs the server's side of a login (record, or the fake path for null) and checks its KE2
     * parses; the vector's KE3 then meets the state made with fresh randomness.
     *
     * @return the session key if finishLogin authenticated, else null
     */
    private static byte[] loginAgainst(FuzzFixture f, RegistrationRecord record, KE1 ke1)
            throws InvalidMessageException {
        OpaqueServer.ServerLoginStart start = f.server.startLogin(record, ke1, f.credentialIdentifier, Identities.NONE);
        byte[] ke2 = start.ke2().toBytes();
        assertCanonical(ke2, KE2.fromBytes(f.suite, ke2).toBytes());
        return authenticatedOrNull(() -> f.server.finishLogin(start.state(), f.ke3));
    }
}
