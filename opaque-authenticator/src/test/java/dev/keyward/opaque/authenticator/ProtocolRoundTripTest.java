package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The server steps the authenticator and the required action run, driven end to end by
 * opaque-java's client over the wire encoding, with keys from {@link SetupDerivation}.
 */
class ProtocolRoundTripTest {
    private static final byte[] SECRET =
            "0123456789abcdef0123456789abcdef-test-only".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] USER_ID = "7f7a4c3e-1111-2222-3333-444455556666".getBytes(StandardCharsets.UTF_8);

    private static final class Fixture {
        final OpaqueConfiguration config;
        final OpaqueServer server;
        final LoginProtocol login;
        final RegistrationProtocol registration;
        final OpaqueClient client;

        Fixture(OpaqueSuite suite, String realmId) {
            // identity KSF keeps the test fast; the server never runs the KSF anyway
            config = new OpaqueConfiguration(suite, new byte[0], Ksf.IDENTITY);
            server = new OpaqueServer(
                    config, SetupDerivation.derive(SECRET, suite, realmId).setup());
            login = new LoginProtocol(server);
            registration = new RegistrationProtocol(server);
            client = new OpaqueClient(config);
        }

        String register(String password) throws InvalidMessageException {
            OpaqueClient.RegistrationStart start = client.startRegistration(bytes(password));
            String response = registration.respond(Wire.encode(start.request().toBytes()), USER_ID);
            RegistrationResponse parsed = RegistrationResponse.fromBytes(
                    config.suite(), Wire.decode(response, config.suite().registrationResponseLength()));
            RegistrationRecord record = client.finishRegistration(start.state(), parsed, Identities.NONE)
                    .record();
            return Wire.encode(record.toBytes());
        }

        /** @return the KE3 the client produced, or null when the client rejected KE2 */
        String[] login(String password, RegistrationRecord record, byte[] identifier) throws InvalidMessageException {
            OpaqueClient.LoginStart start = client.startLogin(bytes(password));
            LoginProtocol.Start server =
                    login.start(login.parseKe1(Wire.encode(start.ke1().toBytes())), record, identifier, false);
            KE2 ke2 = KE2.fromBytes(
                    config.suite(), Wire.decode(server.ke2(), config.suite().ke2Length()));
            try {
                String ke3 = Wire.encode(client.finishLogin(start.state(), ke2, Identities.NONE)
                        .ke3()
                        .toBytes());
                return new String[] {ke3, server.stateNote()};
            } catch (AuthenticationException e) {
                return new String[] {null, server.stateNote()};
            }
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void registerThenLogin(OpaqueSuite suite) throws Exception {
        Fixture f = new Fixture(suite, "realm-a");
        RegistrationRecord record = f.registration.parseRecord(f.register("correct horse"));

        String[] ok = f.login("correct horse", record, USER_ID);
        assertTrue(f.login.finish(ok[1], f.login.parseKe3(ok[0])));

        String[] wrong = f.login("wrong horse", record, USER_ID);
        assertEquals(null, wrong[0], "the client itself detects a wrong password from KE2");
    }

    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void aForgedKe3FailsAndAStateIsBoundToItsLogin(OpaqueSuite suite) throws Exception {
        Fixture f = new Fixture(suite, "realm-a");
        RegistrationRecord record = f.registration.parseRecord(f.register("pw"));
        String[] first = f.login("pw", record, USER_ID);
        String[] second = f.login("pw", record, USER_ID);
        // KE3 of one login does not verify against another login's state (cross-session)
        assertFalse(f.login.finish(second[1], f.login.parseKe3(first[0])));
        byte[] forged = new byte[suite.ke3Length()];
        assertFalse(f.login.finish(first[1], f.login.parseKe3(Wire.encode(forged))));
        assertFalse(f.login.finish(null, f.login.parseKe3(first[0])));
        assertFalse(f.login.finish(
                        "P256-SHA256:" + first[1].substring(first[1].indexOf(':') + 1), f.login.parseKe3(first[0]))
                && suite != OpaqueSuite.P256_SHA256);
        assertFalse(f.login.finish("garbage", f.login.parseKe3(first[0])));
    }

    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void unknownUserGetsSameShapedKe2AndNeverLogsIn(OpaqueSuite suite) throws Exception {
        Fixture f = new Fixture(suite, "realm-a");
        byte[] key = SetupDerivation.derive(SECRET, suite, "realm-a").unknownUserKey();
        byte[] id = SetupDerivation.unknownUserIdentifier(key, "nobody");
        String[] result = f.login("anything", null, id);
        assertEquals(null, result[0]);
        // a client that ignores the failed envelope and sends some KE3 still fails
        assertFalse(f.login.finish(result[1], f.login.parseKe3(Wire.encode(new byte[suite.ke3Length()]))));
    }

    /**
     * Issue 17, item 4: an attacker who holds a user's record (a database copy) and sends KE1s to
     * the locked account learns nothing from the answers. The attack: put a registration request's
     * blinded element for a guess into a KE1, take the evaluated element from KE2, finish a
     * registration with it and compare the resulting masking key with the stolen record's; equal
     * exactly when the guess is right and the evaluation was under the user's OPRF key. Under the
     * user's own identifier (what the locked path used to answer with) the check tells right from
     * wrong; under the withheld identifier the locked path now uses, both are "wrong", and
     * repeated KE1s are answered alike.
     */
    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void aLockedAccountIsNoPasswordOracleForWhoeverHoldsItsRecord(OpaqueSuite suite) throws Exception {
        Fixture f = new Fixture(suite, "realm-a");
        RegistrationRecord stolen = f.registration.parseRecord(f.register("correct horse"));
        byte[] withheld = SetupDerivation.withheldUserIdentifier(
                SetupDerivation.derive(SECRET, suite, "realm-a").unknownUserKey(),
                new String(USER_ID, StandardCharsets.UTF_8));

        assertTrue(offlineGuess(f, stolen, "correct horse", USER_ID), "the attack itself does not work");
        assertFalse(offlineGuess(f, stolen, "wrong horse", USER_ID));
        assertFalse(
                offlineGuess(f, stolen, "correct horse", withheld), "a locked account's answer is a password oracle");
        assertFalse(offlineGuess(f, stolen, "wrong horse", withheld));

        // stable per user: the same KE1 gets the same evaluated element under the withheld identifier
        byte[] ke1 = f.client.startLogin(bytes("any")).ke1().toBytes();
        assertArrayEquals(evaluated(f, ke1, withheld), evaluated(f, ke1, withheld));
        assertFalse(Arrays.equals(evaluated(f, ke1, withheld), evaluated(f, ke1, USER_ID)));
        assertFalse(Arrays.equals(
                withheld,
                SetupDerivation.withheldUserIdentifier(
                        SetupDerivation.derive(SECRET, suite, "realm-a").unknownUserKey(), "another-user")));
    }

    /** The attacker's offline test of one guess against a stolen record, from one KE2 (see above). */
    private static boolean offlineGuess(Fixture f, RegistrationRecord stolen, String guess, byte[] identifier)
            throws Exception {
        OpaqueSuite suite = f.config.suite();
        OpaqueClient.RegistrationStart blinded = f.client.startRegistration(bytes(guess));
        byte[] ke1 = f.client.startLogin(bytes("anything")).ke1().toBytes();
        byte[] element = blinded.request().toBytes();
        System.arraycopy(element, 0, ke1, 0, element.length);
        byte[] z = evaluated(f, ke1, identifier);
        // the server's public key is public: any registration response carries it
        byte[] response =
                Wire.decode(f.registration.respond(Wire.encode(element), USER_ID), suite.registrationResponseLength());
        byte[] forged = concat(z, Arrays.copyOfRange(response, z.length, response.length));
        RegistrationRecord mine = f.client
                .finishRegistration(blinded.state(), RegistrationResponse.fromBytes(suite, forged), Identities.NONE)
                .record();
        return Arrays.equals(maskingKey(suite, mine), maskingKey(suite, stolen));
    }

    /** The evaluated element of the KE2 the locked path answers a KE1 with (no record). */
    private static byte[] evaluated(Fixture f, byte[] ke1, byte[] identifier) throws Exception {
        OpaqueSuite suite = f.config.suite();
        LoginProtocol.Start start = f.login.start(f.login.parseKe1(Wire.encode(ke1)), null, identifier, false);
        return Arrays.copyOf(Wire.decode(start.ke2(), suite.ke2Length()), suite.elementLength());
    }

    private static byte[] maskingKey(OpaqueSuite suite, RegistrationRecord record) {
        byte[] bytes = record.toBytes();
        return Arrays.copyOfRange(bytes, suite.publicKeyLength(), suite.publicKeyLength() + suite.hashLength());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void recordsDoNotWorkInAnotherRealm(OpaqueSuite suite) throws Exception {
        Fixture a = new Fixture(suite, "realm-a");
        Fixture b = new Fixture(suite, "realm-b");
        RegistrationRecord record = a.registration.parseRecord(a.register("pw"));
        assertEquals(null, b.login("pw", record, USER_ID)[0]);
    }

    @ParameterizedTest
    @EnumSource(
            value = OpaqueSuite.class,
            names = {"RISTRETTO255_SHA512", "P256_SHA256"})
    void malformedMessagesAreRejectedBeforeUse(OpaqueSuite suite) {
        Fixture f = new Fixture(suite, "realm-a");
        assertThrows(InvalidMessageException.class, () -> f.login.parseKe1(null));
        assertThrows(InvalidMessageException.class, () -> f.login.parseKe1(""));
        assertThrows(
                InvalidMessageException.class,
                () -> f.login.parseKe1(Wire.encode(new byte[suite.ke1Length()])),
                "all-zero KE1 holds identity points");
        assertThrows(
                InvalidMessageException.class, () -> f.login.parseKe3(Wire.encode(new byte[suite.ke3Length() - 1])));
        assertThrows(InvalidMessageException.class, () -> f.registration.respond("AAAA", USER_ID));
        assertThrows(
                InvalidMessageException.class,
                () -> f.registration.parseRecord(Wire.encode(new byte[suite.registrationRecordLength()])));
    }
}
