package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.FakeFlow;
import dev.keyward.common.FakeFlow.Outcome;
import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.KE2;
import dev.keyward.opaque.Ksf;
import dev.keyward.opaque.OpaqueClient;
import dev.keyward.opaque.OpaqueConfiguration;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Errors;
import org.keycloak.models.RealmModel;
import org.keycloak.services.messages.Messages;

/**
 * The OPAQUE login's state machine, request by request, against a fake flow context: what each
 * step answers, what it keeps between requests and what it reports to brute-force protection.
 * OpaqueWireIT runs the same steps over HTTP in Keycloak.
 */
class OpaqueLoginStepsTest {
    private static final OpaqueSuite SUITE = OpaqueSuite.RISTRETTO255_SHA512;
    private static final byte[] SECRET =
            "0123456789abcdef0123456789abcdef-test-only".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SECOND_SECRET =
            "fedcba9876543210fedcba9876543210-test-only".getBytes(StandardCharsets.US_ASCII);
    private static final OpaqueConfiguration CONFIG = new OpaqueConfiguration(SUITE, new byte[0], Ksf.IDENTITY);
    private static final Pattern KE2_FIELD = Pattern.compile("\"ke2\":\"([A-Za-z0-9_-]+)\"");

    /** Keys as the default provider derives them, with an identity KSF: the server never runs it. */
    private static final class TestKeys implements OpaqueKeysProvider {
        String active = "1";

        @Override
        public String activeKeyId() {
            return active;
        }

        @Override
        public java.util.Set<String> keyIds() {
            // in configuration order, as the default provider's keyring
            return new java.util.LinkedHashSet<>(List.of("1", "2"));
        }

        @Override
        public OpaqueServer server(RealmModel realm, String keyId) {
            byte[] secret = "1".equals(keyId) ? SECRET : "2".equals(keyId) ? SECOND_SECRET : null;
            return secret == null
                    ? null
                    : new OpaqueServer(
                            CONFIG,
                            SetupDerivation.derive(secret, SUITE, realm.getId()).setup());
        }

        @Override
        public OpaqueSuite suite() {
            return SUITE;
        }

        @Override
        public Argon2idKsf ksf() {
            return Argon2idKsf.memoryConstrained();
        }

        @Override
        public OpaqueServer server(RealmModel realm) {
            return server(realm, active);
        }

        @Override
        public byte[] unknownUserIdentifier(RealmModel realm, String username) {
            return ("unknown:" + username).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public byte[] withheldUserIdentifier(RealmModel realm, String userId) {
            return ("withheld:" + userId).getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public boolean unknownUserLegacyCoin(RealmModel realm, String username) {
            return false;
        }

        @Override
        public void close() {}
    }

    private final FakeFlow flow = new FakeFlow();
    private final OpaqueAuthenticator form = new OpaqueAuthenticator(Duration.ofSeconds(120));
    private final OpaqueClient client = new OpaqueClient(CONFIG);
    private FakeFlow.User alice;
    private final TestKeys keys = new TestKeys();

    @BeforeEach
    void aliceHasAnOpaquePassword() throws Exception {
        flow.provide(OpaqueKeysProvider.class, keys);
        flow.provide(
                CredentialProvider.class,
                OpaqueConstants.CREDENTIAL_PROVIDER_ID,
                new OpaqueCredentialProvider(flow.session()));
        alice = flow.addUser("a11ce-id", "alice", "alice@example.com");
        OpaqueClient.RegistrationStart start = client.startRegistration(bytes("correct horse"));
        String response = new RegistrationProtocol(keys.server(flow.realm()))
                .respond(Wire.encode(start.request().toBytes()), bytes(alice.id));
        RegistrationRecord record = client.finishRegistration(
                        start.state(),
                        RegistrationResponse.fromBytes(
                                SUITE, Wire.decode(response, SUITE.registrationResponseLength())),
                        Identities.NONE)
                .record();
        alice.configured.add(OpaqueConstants.CREDENTIAL_TYPE);
        // as stored before key ids: no keyId in the credential data, so key id 1
        OpaqueCredentialModel credential =
                OpaqueCredentialModel.create(SUITE, alice.id, keys.ksf(), record.toBytes(), null);
        credential.setId("cred-alice");
        alice.stored.put(OpaqueConstants.CREDENTIAL_TYPE, List.of(credential));
    }

    @Test
    void aRecordUnderAnOlderSecretSignsInAndMovesToTheActiveOneWithItsProof() throws Exception {
        keys.active = "2";
        OpaqueClient.LoginStart start = ke1("alice", "correct horse");
        OpaqueClient.LoginResult result = finish(start, "correct horse");
        assertEquals(Wire.encode(RekeyProof.offer(result.sessionKey())), field(lastKe2, "rekey"), "offered");

        rekeyRecord(result);
        assertEquals(Outcome.SUCCESS, flow.outcome);
        assertEquals(alice, flow.user);
        assertEquals("1->2", flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEYED));
        OpaqueCredentialModel moved = storedCredential();
        assertEquals("2", moved.keyId());
        assertEquals("cred-alice", moved.getId(), "the same credential, updated in place");
        assertNull(flow.authNotes.get(RekeyStep.NOTE), "single use");

        // from now on under the active secret: signs in, and nothing is offered
        assertEquals(Outcome.SUCCESS, login("alice", "correct horse"));
        OpaqueClient.LoginResult again = finish(ke1("alice", "correct horse"), "correct horse");
        assertFalse(Wire.encode(RekeyProof.offer(again.sessionKey())).equals(field(lastKe2, "rekey")));
    }

    @Test
    void aRecordUnderAnOlderSecretStillSignsInWithAPlainKe3() throws Exception {
        keys.active = "2";
        assertEquals(Outcome.SUCCESS, login("alice", "correct horse"));
        assertEquals("1", storedCredential().keyId(), "no re-registration without the client's part");
    }

    @Test
    void aWrongProofStoresNothingButTheLoginCompletes() throws Exception {
        keys.active = "2";
        OpaqueClient.LoginResult result = finish(ke1("alice", "correct horse"), "correct horse");
        byte[] record = newRecord(rekeyResponse(result));
        postRecord(record, RekeyProof.proof(new byte[32], record));
        assertEquals(Outcome.SUCCESS, flow.outcome);
        assertEquals("bad_proof", flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEY_FAILED));
        assertEquals("1", storedCredential().keyId(), "no record without its proof");
        assertEquals(Outcome.SUCCESS, login("alice", "correct horse"), "the old password still works");
    }

    @Test
    void aKe3RekeyThatKe1DidNotOfferReplacesNothing() throws Exception {
        // the record is under the active secret: knowing the password must not allow registering another
        OpaqueClient.LoginResult result = finish(ke1("alice", "correct horse"), "correct horse");
        assertFalse(Wire.encode(RekeyProof.offer(result.sessionKey())).equals(field(lastKe2, "rekey")));
        form.action(flow.post(Map.of(
                "opaque_step", "ke3-rekey",
                "ke3", Wire.encode(result.ke3().toBytes()),
                "request",
                        Wire.encode(client.startRegistration(bytes("another horse"))
                                .request()
                                .toBytes()))));
        assertEquals(400, flow.response.getStatus());
        assertTrue(((String) flow.response.getEntity()).contains("\"invalid_request\""));
        assertNull(flow.authNotes.get(RekeyStep.NOTE));
        assertEquals("1", storedCredential().keyId());
        assertEquals(Outcome.SUCCESS, login("alice", "correct horse"), "the password is unchanged");
    }

    @Test
    void aTwoFactorUsersNewRecordWaitsForTheWholeLogin() throws Exception {
        keys.active = "2";
        alice.attributes.put("two_factor_enabled", List.of("true"));
        OpaqueClient.LoginResult result = finish(ke1("alice", "correct horse"), "correct horse");
        assertEquals(Wire.encode(RekeyProof.offer(result.sessionKey())), field(lastKe2, "rekey"), "offered");
        rekeyRecord(result);
        assertEquals(Outcome.SUCCESS, flow.outcome, "the first factor is done");
        assertEquals("1", storedCredential().keyId(), "the password alone replaces nothing");
        assertNull(flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEYED));
        assertNull(flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEY_FAILED));
        PendingRekey pending = PendingRekey.parse(flow.userSessionNotes.get(PendingRekey.NOTE));
        assertNotNull(pending, "kept for the user session, should the login end in one");
        assertEquals(
                List.of(alice.id, "cred-alice", "1", "2"),
                List.of(pending.userId(), pending.credentialId(), pending.fromKeyId(), pending.toKeyId()));
        assertFalse(pending.toString().contains(pending.record()));

        // a new login in this authentication session drops it
        ke1("alice", "correct horse");
        assertNull(flow.userSessionNotes.get(PendingRekey.NOTE));
    }

    @Test
    void aRecordMovesOnlyForwardInTheKeyringsOrder() throws Exception {
        keys.active = "2";
        assertTrue(RekeyStep.offered(keys, "1"));
        assertFalse(RekeyStep.offered(keys, "2"), "already under the active secret");
        assertFalse(RekeyStep.offered(keys, "9"), "not in the ring");
        assertFalse(RekeyStep.offered(keys, null));
        // a node still running with key 1 active (a rolling restart): never back to it
        keys.active = "1";
        assertFalse(RekeyStep.offered(keys, "2"));

        // offered by a node with 2 active, but another node moved the record to 2 meanwhile
        keys.active = "2";
        OpaqueClient.LoginResult result = finish(ke1("alice", "correct horse"), "correct horse");
        String response = rekeyResponse(result);
        OpaqueCredentialModel moved = OpaqueCredentialModel.create(
                SUITE, alice.id, keys.ksf(), storedCredential().record(SUITE).toBytes(), "2");
        moved.setId("cred-alice");
        alice.stored.put(OpaqueConstants.CREDENTIAL_TYPE, List.of(moved));
        uploadRecord(result, response);
        assertEquals(Outcome.SUCCESS, flow.outcome);
        assertEquals("key_order", flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEY_FAILED));
        assertEquals(
                Wire.encode(moved.record(SUITE).toBytes()),
                Wire.encode(storedCredential().record(SUITE).toBytes()),
                "the record stays as it is");
    }

    @Test
    void aRekeyRecordWithoutAProvenLoginIsRefused() throws Exception {
        keys.active = "2";
        form.action(flow.post(Map.of("opaque_step", "rekey-skip")));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(400, flow.response.getStatus());
        assertNull(flow.user);

        // a wrong KE3 on the rekey step: the JSON failure, one brute-force failure, no note
        finish(ke1("alice", "correct horse"), "correct horse");
        form.action(flow.post(Map.of(
                "opaque_step", "ke3-rekey",
                "ke3", forged(),
                "request",
                        Wire.encode(
                                client.startRegistration(bytes("x")).request().toBytes()))));
        assertEquals(Outcome.FAILURE_CHALLENGE, flow.outcome);
        assertEquals(400, flow.response.getStatus());
        assertTrue(((String) flow.response.getEntity()).contains("\"invalid_grant\""));
        assertEquals(AuthenticationFlowError.INVALID_CREDENTIALS, flow.error, "counted as a wrong password");
        assertNull(flow.authNotes.get(RekeyStep.NOTE));
    }

    @Test
    void aSkippedRekeyCompletesTheLoginOnTheOldSecret() throws Exception {
        keys.active = "2";
        OpaqueClient.LoginResult result = finish(ke1("alice", "correct horse"), "correct horse");
        form.action(flow.post(Map.of(
                "opaque_step", "ke3-rekey",
                "ke3", Wire.encode(result.ke3().toBytes()),
                "request",
                        Wire.encode(
                                client.startRegistration(bytes("x")).request().toBytes()))));
        assertEquals(200, flow.response.getStatus());
        form.action(flow.post(Map.of("opaque_step", "rekey-skip")));
        assertEquals(Outcome.SUCCESS, flow.outcome);
        assertEquals("skipped", flow.event.getEvent().getDetails().get(OpaqueConstants.DETAIL_REKEY_FAILED));
        assertEquals("1", storedCredential().keyId());
        // single use: a second upload finds nothing to continue
        form.action(flow.post(Map.of("opaque_step", "rekey-skip")));
        assertEquals(400, flow.response.getStatus());
    }

    @Test
    void aRecordWhoseSecretLeftTheRingIsAnsweredLikeNoPassword() throws Exception {
        OpaqueCredentialModel stray = OpaqueCredentialModel.create(
                SUITE, alice.id, keys.ksf(), storedCredential().record(SUITE).toBytes(), "9");
        stray.setId("cred-alice");
        alice.stored.put(OpaqueConstants.CREDENTIAL_TYPE, List.of(stray));
        OpaqueClient.LoginStart start = ke1("alice", "correct horse");
        assertThrows(AuthenticationException.class, () -> finish(start, "correct horse"));
    }

    /** The ke3-rekey step for a login KE1 offered a re-registration, then the new record with its proof. */
    private void rekeyRecord(OpaqueClient.LoginResult result) throws Exception {
        uploadRecord(result, rekeyResponse(result));
    }

    private OpaqueClient.RegistrationStart registration;

    /** @return the registration response of the ke3-rekey step */
    private String rekeyResponse(OpaqueClient.LoginResult result) throws Exception {
        registration = client.startRegistration(bytes("correct horse"));
        form.action(flow.post(Map.of(
                "opaque_step", "ke3-rekey",
                "ke3", Wire.encode(result.ke3().toBytes()),
                "request", Wire.encode(registration.request().toBytes()))));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(200, flow.response.getStatus());
        return field((String) flow.response.getEntity(), "response");
    }

    private void uploadRecord(OpaqueClient.LoginResult result, String response) throws Exception {
        byte[] record = newRecord(response);
        postRecord(record, RekeyProof.proof(RekeyProof.key(result.sessionKey()), record));
    }

    /** @return the record the client makes from the ke3-rekey step's registration response */
    private byte[] newRecord(String response) throws Exception {
        return client.finishRegistration(
                        registration.state(),
                        RegistrationResponse.fromBytes(
                                SUITE, Wire.decode(response, SUITE.registrationResponseLength())),
                        Identities.NONE)
                .record()
                .toBytes();
    }

    private void postRecord(byte[] record, byte[] proof) {
        form.action(flow.post(
                Map.of("opaque_step", "rekey-record", "record", Wire.encode(record), "proof", Wire.encode(proof))));
    }

    private OpaqueCredentialModel storedCredential() {
        return OpaqueCredentialModel.createFromCredentialModel(
                alice.stored.get(OpaqueConstants.CREDENTIAL_TYPE).get(0));
    }

    private static String field(String json, String name) {
        Matcher m = Pattern.compile("\"" + name + "\":\"([^\"]+)\"").matcher(json);
        assertTrue(m.find(), json);
        return m.group(1);
    }

    private OpaqueClient.LoginResult finish(OpaqueClient.LoginStart start, String password) throws Exception {
        KE2 ke2 = KE2.fromBytes(SUITE, Wire.decode(field(lastKe2, "ke2"), SUITE.ke2Length()));
        return client.finishLogin(start.state(), ke2, Identities.NONE);
    }

    @Test
    void theRightPasswordCompletesTheFirstFactorAndCountsNothing() throws Exception {
        form.authenticate(flow.get());
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(OpaqueConstants.TEMPLATE_LOGIN, flow.page.template());
        assertEquals(SUITE.identifier(), flow.page.attributes().get(OpaqueConstants.ATTR_SUITE));

        assertEquals(Outcome.SUCCESS, login("alice", "correct horse"));
        assertEquals("password", flow.successType);
        assertEquals(alice, flow.user);
        assertTrue(flow.authNotes.get("authn.credentials").contains(OpaqueConstants.CREDENTIAL_TYPE));
        assertNull(flow.authNotes.get(LoginAttempt.NOTE), "the attempt is single use");
        assertEquals(0, flow.failuresOf(alice.id));
    }

    @Test
    void aWrongKe3IsOneFailureAndAReplayFindsNothing() throws Exception {
        String ke3 = ke3For(ke1("alice", "correct horse"), "correct horse");
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", forged())));
        assertEquals(Outcome.FAILURE_CHALLENGE, flow.outcome);
        assertEquals(AuthenticationFlowError.INVALID_CREDENTIALS, flow.error);
        assertEquals(Messages.INVALID_USER, flow.page.error());

        // the right KE3 after its attempt was used: nothing left to check it against, nothing counted
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", ke3)));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(Messages.INVALID_USER, flow.page.error());
        assertNull(flow.user);
    }

    @Test
    void aPasskeyPostEndsThePasswordAttemptSoALaterKe3ChecksNothing() throws Exception {
        String ke3 = ke3For(ke1("alice", "correct horse"), "correct horse");
        assertEquals("alice", flow.authNotes.get("ATTEMPTED_USERNAME"));
        form.action(flow.post(Map.of("opaque_step", PasskeyOffer.STEP, "error", "NotAllowedError")));
        assertNull(flow.authNotes.get(LoginAttempt.NOTE), "the password attempt outlived the passkey post");

        // the right KE3 now: nothing to check it against (a wrong one would have gone uncounted)
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", ke3)));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(Messages.INVALID_USER, flow.page.error());
        assertNull(flow.user);
        assertEquals(0, flow.failuresOf(alice.id));
    }

    @Test
    void aGuessLeftOpenCountsWhenTheSessionStartsAnother() throws Exception {
        ke1("alice", "wrong horse");
        assertEquals(0, flow.failuresOf(alice.id));
        ke1("alice", "wrong horse");
        assertEquals(1, flow.failuresOf(alice.id), "the first KE2 was a guess nobody settled");
        assertTrue(flow.failures.get(0).endsWith("[password]"));
    }

    @Test
    void nothingIsReportedWhileTheRealmHasBruteForceProtectionOff() throws Exception {
        flow.bruteForceProtected = false;
        ke1("alice", "wrong horse");
        ke1("alice", "wrong horse");
        assertEquals(0, flow.failuresOf(alice.id));
    }

    @Test
    void aLockedAccountGetsAKe2ThatCannotOpenAndTheLockAtKe3() throws Exception {
        flow.locked.add(alice.id);
        OpaqueClient.LoginStart start = ke1("alice", "correct horse");
        assertThrows(AuthenticationException.class, () -> ke3For(start, "correct horse"), "not the user's record");
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", forged())));
        assertEquals(Outcome.FORCE_CHALLENGE, flow.outcome);
        assertEquals(Messages.ACCOUNT_TEMPORARILY_DISABLED, flow.page.error());
        assertEquals(
                Errors.USER_TEMPORARILY_DISABLED,
                flow.events.get(flow.events.size() - 1).error());
        assertEquals(0, flow.failuresOf(alice.id), "Keycloak's form does not count a locked account's tries");
    }

    @Test
    void aFourthOpenGuessIsAnsweredAsLocked() throws Exception {
        GuessLedger ledger = new GuessLedger(flow.store, "realm-id", alice.id, Duration.ofSeconds(120), 43_200);
        long now = System.currentTimeMillis();
        for (int i = 0; i < GuessLedger.SLOTS; i++) {
            assertNotNull(ledger.open(now));
        }
        OpaqueClient.LoginStart start = ke1("alice", "correct horse");
        assertThrows(AuthenticationException.class, () -> ke3For(start, "correct horse"));
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", forged())));
        assertEquals(Outcome.FORCE_CHALLENGE, flow.outcome);
        assertEquals(Messages.ACCOUNT_TEMPORARILY_DISABLED, flow.page.error());
    }

    @Test
    void aNameWithoutAnAccountGetsTheSameAnswersAndItsGuessIsScored() throws Exception {
        OpaqueClient.LoginStart start = ke1("mallory", "anything");
        assertThrows(AuthenticationException.class, () -> ke3For(start, "anything"));
        assertNotNull(LoginAttempt.parse(flow.authNotes.get(LoginAttempt.NOTE)).unknownName());
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", forged())));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(Messages.INVALID_USER, flow.page.error());
        assertEquals(
                Errors.USER_NOT_FOUND, flow.events.get(flow.events.size() - 1).error());
        assertTrue(
                flow.store.entries.keySet().stream().anyMatch(k -> k.startsWith("keyward-opaque-unknown-lockout:")),
                "the lockout mimic keeps its score");
    }

    @Test
    void aMalformedKe1OrAPostWithoutTheProtocolIsABadRequestThatSaysWhy() {
        form.action(flow.post(Map.of("opaque_step", "ke1", "username", "alice", "ke1", "short")));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(400, flow.response.getStatus());
        assertNull(flow.authNotes.get(LoginAttempt.NOTE));

        // the page's script did not run: the form went out without the protocol; say so
        form.action(flow.post(Map.of("username", "alice", "password", "correct horse")));
        assertEquals(400, flow.response.getStatus());
        assertEquals(OpaqueConstants.MSG_SCRIPT_NOT_RUN, flow.page.error());

        form.action(flow.post(Map.of("opaque_step", "", "username", "alice")));
        assertEquals(400, flow.response.getStatus());
        assertEquals(OpaqueConstants.MSG_SCRIPT_NOT_RUN, flow.page.error());

        form.action(flow.post(Map.of("opaque_step", "ke2", "username", "alice")));
        assertEquals(400, flow.response.getStatus());
        assertEquals(OpaqueConstants.MSG_INVALID_REQUEST, flow.page.error());
    }

    @Test
    void anAttemptIsOneNoteThatSurvivesEveryCharacter() {
        LoginAttempt attempt = new LoginAttempt("suite:st&a=te", "u", null, "k:g.1", "name.7", true, null);
        assertEquals(attempt, LoginAttempt.parse(attempt.toNote()));
        assertEquals(LoginAttempt.NONE, LoginAttempt.parse(LoginAttempt.NONE.toNote()));
        assertEquals(LoginAttempt.NONE, LoginAttempt.parse("s=%zz&u=x"), "a note that does not decode is no attempt");
    }

    private Outcome login(String name, String password) throws Exception {
        String ke3 = ke3For(ke1(name, password), password);
        form.action(flow.post(Map.of("opaque_step", "ke3", "ke3", ke3)));
        return flow.outcome;
    }

    /** Sends KE1; returns the client's state, with the KE2 answer kept for {@link #ke3For}. */
    private OpaqueClient.LoginStart ke1(String name, String password) {
        OpaqueClient.LoginStart start = client.startLogin(bytes(password));
        form.action(flow.post(Map.of(
                "opaque_step",
                "ke1",
                "username",
                name,
                "ke1",
                Wire.encode(start.ke1().toBytes()))));
        assertEquals(Outcome.CHALLENGE, flow.outcome);
        assertEquals(200, flow.response.getStatus());
        lastKe2 = (String) flow.response.getEntity();
        return start;
    }

    private String lastKe2;

    private String ke3For(OpaqueClient.LoginStart start, String password) throws Exception {
        Matcher m = KE2_FIELD.matcher(lastKe2);
        assertTrue(m.find(), lastKe2);
        KE2 ke2 = KE2.fromBytes(SUITE, Wire.decode(m.group(1), SUITE.ke2Length()));
        return Wire.encode(
                client.finishLogin(start.state(), ke2, Identities.NONE).ke3().toBytes());
    }

    private static String forged() {
        return Wire.encode(new byte[SUITE.ke3Length()]);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
