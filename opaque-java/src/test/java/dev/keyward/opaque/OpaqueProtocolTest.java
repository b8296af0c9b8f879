package dev.keyward.opaque;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.security.SecureRandom;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Behaviour of the public API beyond the fixed RFC vectors, for both suites. */
class OpaqueProtocolTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final byte[] USER_ID = "f3c0e0a2-7a6b-4bb4-9f4e-1a2b3c4d5e6f".getBytes(UTF_8);
    private static final byte[] PASSWORD = "correct horse battery staple".getBytes(UTF_8);

    private static OpaqueConfiguration config(OpaqueSuite suite) {
        return new OpaqueConfiguration(suite, "keyward-test".getBytes(UTF_8), Ksf.IDENTITY);
    }

    private record Deployment(OpaqueClient client, OpaqueServer server, RegistrationRecord record) {}

    private static Deployment register(OpaqueSuite suite, Identities ids) throws Exception {
        OpaqueClient client = new OpaqueClient(config(suite));
        OpaqueServer server = new OpaqueServer(config(suite), ServerSetup.generate(suite, RANDOM));
        OpaqueClient.RegistrationStart start = client.startRegistration(PASSWORD);
        RegistrationResponse response = server.createRegistrationResponse(
                RegistrationRequest.fromBytes(suite, start.request().toBytes()), USER_ID);
        OpaqueClient.RegistrationResult result = client.finishRegistration(
                start.state(), RegistrationResponse.fromBytes(suite, response.toBytes()), ids);
        return new Deployment(
                client,
                server,
                RegistrationRecord.fromBytes(suite, result.record().toBytes()));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void registerThenLoginAgreesOnKeysAndSizes(OpaqueSuite suite) throws Exception {
        Identities ids = new Identities("alice".getBytes(UTF_8), "https://idp.example/realms/demo".getBytes(UTF_8));
        Deployment d = register(suite, ids);
        assertEquals(suite.registrationRecordLength(), d.record().toBytes().length);

        OpaqueClient.LoginStart start = d.client().startLogin(PASSWORD);
        byte[] ke1 = start.ke1().toBytes();
        assertEquals(suite.ke1Length(), ke1.length);
        OpaqueServer.ServerLoginStart serverStart =
                d.server().startLogin(d.record(), KE1.fromBytes(suite, ke1), USER_ID, ids);
        byte[] ke2 = serverStart.ke2().toBytes();
        assertEquals(suite.ke2Length(), ke2.length);
        // known to the server from KE2 on, the very key the client derives
        byte[] earlyKey = serverStart.state().copySessionKey();
        OpaqueClient.LoginResult result = d.client().finishLogin(start.state(), KE2.fromBytes(suite, ke2), ids);
        byte[] ke3 = result.ke3().toBytes();
        assertEquals(suite.ke3Length(), ke3.length);
        byte[] serverKey = d.server().finishLogin(serverStart.state(), KE3.fromBytes(suite, ke3));
        assertArrayEquals(result.sessionKey(), serverKey);
        assertArrayEquals(serverKey, earlyKey);
        assertEquals(suite.hashLength(), serverKey.length);
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void wrongPasswordFailsOnTheClientAndAForgedKe3FailsOnTheServer(OpaqueSuite suite) throws Exception {
        Deployment d = register(suite, Identities.NONE);
        OpaqueClient.LoginStart start = d.client().startLogin("Correct horse battery staple".getBytes(UTF_8));
        OpaqueServer.ServerLoginStart serverStart =
                d.server().startLogin(d.record(), start.ke1(), USER_ID, Identities.NONE);
        assertThrows(
                AuthenticationException.class,
                () -> d.client().finishLogin(start.state(), serverStart.ke2(), Identities.NONE));
        byte[] forged = new byte[suite.ke3Length()];
        RANDOM.nextBytes(forged);
        assertThrows(
                AuthenticationException.class,
                () -> d.server().finishLogin(serverStart.state(), KE3.fromBytes(suite, forged)));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void serverStateIsSingleUse(OpaqueSuite suite) throws Exception {
        Deployment d = register(suite, Identities.NONE);
        OpaqueClient.LoginStart start = d.client().startLogin(PASSWORD);
        OpaqueServer.ServerLoginStart serverStart =
                d.server().startLogin(d.record(), start.ke1(), USER_ID, Identities.NONE);
        KE3 ke3 = d.client()
                .finishLogin(start.state(), serverStart.ke2(), Identities.NONE)
                .ke3();
        d.server().finishLogin(serverStart.state(), ke3);
        assertThrows(AuthenticationException.class, () -> d.server().finishLogin(serverStart.state(), ke3));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void mismatchedIdentitiesOrContextFail(OpaqueSuite suite) throws Exception {
        Identities registered = new Identities("alice".getBytes(UTF_8), null);
        Deployment d = register(suite, registered);
        OpaqueClient.LoginStart start = d.client().startLogin(PASSWORD);
        OpaqueServer.ServerLoginStart serverStart =
                d.server().startLogin(d.record(), start.ke1(), USER_ID, Identities.NONE);
        assertThrows(
                AuthenticationException.class,
                () -> d.client().finishLogin(start.state(), serverStart.ke2(), Identities.NONE));

        OpaqueClient otherContext = new OpaqueClient(new OpaqueConfiguration(suite, new byte[0], Ksf.IDENTITY));
        OpaqueClient.LoginStart start2 = otherContext.startLogin(PASSWORD);
        OpaqueServer.ServerLoginStart serverStart2 =
                d.server().startLogin(d.record(), start2.ke1(), USER_ID, registered);
        assertThrows(
                AuthenticationException.class,
                () -> otherContext.finishLogin(start2.state(), serverStart2.ke2(), registered));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void unknownUserGetsAWellFormedFakeResponseThatNeverAuthenticates(OpaqueSuite suite) throws Exception {
        Deployment d = register(suite, Identities.NONE);
        OpaqueClient.LoginStart start = d.client().startLogin(PASSWORD);
        OpaqueServer.ServerLoginStart fake =
                d.server().startLogin(null, start.ke1(), "nobody".getBytes(UTF_8), Identities.NONE);
        byte[] ke2 = fake.ke2().toBytes();
        assertEquals(suite.ke2Length(), ke2.length);
        KE2.fromBytes(suite, ke2); // parses like a real one
        assertThrows(
                AuthenticationException.class,
                () -> d.client().finishLogin(start.state(), fake.ke2(), Identities.NONE));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void oprfKeyDependsOnTheCredentialIdentifier(OpaqueSuite suite) throws Exception {
        OpaqueServer server = new OpaqueServer(config(suite), ServerSetup.generate(suite, RANDOM));
        RegistrationRequest request =
                new OpaqueClient(config(suite)).startRegistration(PASSWORD).request();
        byte[] a = server.createRegistrationResponse(request, "user-a".getBytes(UTF_8))
                .toBytes();
        byte[] a2 = server.createRegistrationResponse(request, "user-a".getBytes(UTF_8))
                .toBytes();
        byte[] b = server.createRegistrationResponse(request, "user-b".getBytes(UTF_8))
                .toBytes();
        assertArrayEquals(a, a2);
        assertFalse(Arrays.equals(a, b));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void serverSetupRoundTripsAndRejectsBadBytes(OpaqueSuite suite) throws Exception {
        ServerSetup setup = ServerSetup.generate(suite, RANDOM);
        ServerSetup again = ServerSetup.fromBytes(suite, setup.toBytes());
        assertArrayEquals(setup.serverPublicKey(), again.serverPublicKey());
        assertArrayEquals(setup.toBytes(), again.toBytes());

        byte[] bytes = setup.toBytes();
        assertThrows(
                InvalidMessageException.class,
                () -> ServerSetup.fromBytes(suite, Arrays.copyOf(bytes, bytes.length - 1)));
        byte[] zeroKey = setup.toBytes();
        Arrays.fill(zeroKey, suite.hashLength(), suite.hashLength() + suite.privateKeyLength(), (byte) 0);
        assertThrows(InvalidMessageException.class, () -> ServerSetup.fromBytes(suite, zeroKey));
        byte[] badFakeKey = setup.toBytes();
        Arrays.fill(badFakeKey, bytes.length - suite.publicKeyLength(), bytes.length, (byte) 0xFF);
        assertThrows(InvalidMessageException.class, () -> ServerSetup.fromBytes(suite, badFakeKey));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void parsersRejectWrongLengthsAndIdentityElements(OpaqueSuite suite) {
        int[] lengths = {
            suite.registrationRequestLength(),
            suite.registrationResponseLength(),
            suite.registrationRecordLength(),
            suite.ke1Length(),
            suite.ke2Length(),
            suite.ke3Length()
        };
        for (int i = 0; i < lengths.length; i++) {
            int kind = i;
            for (int len : new int[] {0, lengths[i] - 1, lengths[i] + 1}) {
                InvalidMessageException e =
                        assertThrows(InvalidMessageException.class, () -> parse(suite, kind, new byte[len]));
                assertFalse(e.getMessage().isEmpty());
            }
            if (kind != 5) { // all zeros is the identity (ristretto255) or no point at all (P-256)
                assertThrows(InvalidMessageException.class, () -> parse(suite, kind, new byte[lengths[kind]]));
            }
        }
        assertThrows(InvalidMessageException.class, () -> KE1.fromBytes(null, new byte[96]));
        assertThrows(InvalidMessageException.class, () -> KE1.fromBytes(suite, null));
    }

    @ParameterizedTest
    @EnumSource(OpaqueSuite.class)
    void suitesAreLookedUpByIdentifier(OpaqueSuite suite) throws Exception {
        assertEquals(suite, OpaqueSuite.fromIdentifier(suite.identifier()));
        assertThrows(InvalidMessageException.class, () -> OpaqueSuite.fromIdentifier("decaf448-SHAKE256"));
    }

    private static Object parse(OpaqueSuite suite, int kind, byte[] b) throws InvalidMessageException {
        return switch (kind) {
            case 0 -> RegistrationRequest.fromBytes(suite, b);
            case 1 -> RegistrationResponse.fromBytes(suite, b);
            case 2 -> RegistrationRecord.fromBytes(suite, b);
            case 3 -> KE1.fromBytes(suite, b);
            case 4 -> KE2.fromBytes(suite, b);
            default -> KE3.fromBytes(suite, b);
        };
    }
}
