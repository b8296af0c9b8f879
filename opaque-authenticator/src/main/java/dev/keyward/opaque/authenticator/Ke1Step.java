package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import dev.keyward.common.LoginNames;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE1;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.RegistrationRecord;
import jakarta.ws.rs.core.MultivaluedMap;
import java.nio.charset.StandardCharsets;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * KE1 → KE2 (or the legacy-migration answer). Every name gets a KE2 of the same shape: an
 * account's real one while it may guess, else one under a withheld key (a locked account, a fourth
 * open guess, a name without an account), so the answer tells nothing about the account.
 */
final class Ke1Step {
    private static final Logger LOG = Logger.getLogger(Ke1Step.class);

    private Ke1Step() {}

    static void run(AuthenticationFlowContext context, MultivaluedMap<String, String> formData, OpenGuesses guesses) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        RealmModel realm = context.getRealm();
        // a new attempt replaces any unfinished one; a guess it left open (KE2 sent, no KE3) is a failure
        guesses.settleAbandoned(LoginAttempt.take(authSession));
        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        // the active setup secret's server: it parses KE1 (the suite is the same under every secret)
        // and answers every KE1 that does not reach a real record, so those all look alike
        LoginProtocol protocol = new LoginProtocol(keys.server(realm));

        KE1 ke1;
        try {
            ke1 = protocol.parseKe1(formData.getFirst(OpaqueConstants.FIELD_KE1));
        } catch (InvalidMessageException e) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(Wire.invalidRequest());
            return;
        }

        UserModel user;
        String attemptedName;
        if (OpaquePage.isUserPreset(context)) {
            user = context.getUser();
            attemptedName = user.getUsername();
        } else {
            context.clearUser();
            String username = LoginNames.typed(formData.getFirst(OpaqueConstants.FIELD_USERNAME));
            if (username == null) {
                context.getEvent().error(Errors.INVALID_REQUEST);
                context.challenge(Wire.invalidRequest());
                return;
            }
            attemptedName = username;
            // like Keycloak's form: the brute-force protector finds the user through this note
            authSession.setAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME, username);
            user = LoginNames.find(context.getSession(), realm, username);
        }
        context.getEvent().detail(Details.USERNAME, attemptedName);

        LoginAttempt attempt = LoginAttempt.NONE;
        RegistrationRecord record = null;
        LoginProtocol recordServer = null;
        String recordKeyId = null;
        byte[] credentialIdentifier;
        String lockError = null;
        boolean legacy;
        if (user != null) {
            credentialIdentifier = user.getId().getBytes(StandardCharsets.UTF_8);
            attempt = attempt.withUser(user.getId());
            // guesses of this user whose clients never sent KE3 count now, before the lock is read
            int abandoned = guesses.ledger(user).sweep(Time.currentTimeMillis());
            if (abandoned > 0) {
                BruteForce.reportFailures(context, user, BruteForce.PASSWORD, abandoned);
            }
            lockError = BruteForce.lockError(context, user);
            RecordUnderKey stored = loadRecord(context, keys, realm, user);
            record = stored.record();
            recordServer = stored.server();
            recordKeyId = stored.keyId();
            legacy = LegacyMigrationStep.enabled(context)
                    && record == null
                    && user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE);
            if (lockError != null) {
                // a locked account is answered like its unlocked self, but never with its real KE2
                // nor an evaluation under its OPRF key: with the user's record (a database copy) that
                // would test one password per KE1, uncounted; the lock is reported at the next step
                attempt = attempt.withLocked(lockError);
                record = null;
                credentialIdentifier = keys.withheldUserIdentifier(realm, user.getId());
            }
        } else {
            credentialIdentifier = keys.unknownUserIdentifier(realm, attemptedName);
            legacy = LegacyMigrationStep.enabled(context) && keys.unknownUserLegacyCoin(realm, attemptedName);
        }
        String unknownName = user == null && !legacy ? OpenGuesses.nameKey(credentialIdentifier) : null;

        // KE1 consumed this request's one-time session code; the next step goes to a fresh one
        String action = context.getActionUrl(context.generateAccessCode()).toString();
        if (legacy) {
            // nothing to guess against yet: the password step that follows is what gets counted
            attempt.asLegacy().save(authSession);
            context.challenge(Wire.legacy(action));
            return;
        }
        if (user != null && lockError == null) {
            // one online guess (see OpaqueAuthenticator): open it in the ledger, or answer as locked
            // when the user already has as many open guesses as allowed
            String guess = guesses.ledger(user).open(Time.currentTimeMillis());
            if (guess == null) {
                attempt = attempt.withLocked(Errors.USER_TEMPORARILY_DISABLED);
                record = null;
                credentialIdentifier = keys.withheldUserIdentifier(realm, user.getId());
            } else {
                attempt = attempt.withGuess(guess, null);
            }
        } else if (unknownName != null) {
            // an unknown name plays the same limits (open guesses, lockout) with the same answers:
            // the switch to a withheld key must not tell an account from a name without one
            long now = Time.currentTimeMillis();
            UnknownNameLockout lockout = guesses.lockout(unknownName);
            GuessLedger ledger = guesses.ledger(unknownName);
            lockout.failed(now, ledger.sweep(now));
            String guess = null;
            lockError = lockout.lockError(now);
            if (lockError == null) {
                guess = ledger.open(now);
                lockError = guess == null ? Errors.USER_TEMPORARILY_DISABLED : null;
            }
            if (guess != null) {
                attempt = attempt.withGuess(guess, unknownName);
            } else {
                attempt = attempt.withLocked(lockError);
                credentialIdentifier = keys.withheldUserIdentifier(realm, unknownName);
            }
        }
        // a real record is answered under the setup secret it was registered with; its client is
        // offered a re-registration under the active one when that is another
        boolean real = record != null;
        LoginProtocol.Start start = (real ? recordServer : protocol)
                .start(ke1, record, credentialIdentifier, real && RekeyStep.offered(keys, recordKeyId));
        attempt.withState(start.stateNote()).save(authSession);
        context.challenge(Wire.ke2(start.ke2(), action, start.rekeyOffer()));
    }

    /** A user's record with the server of the setup secret it was registered under; all null when unusable. */
    record RecordUnderKey(RegistrationRecord record, LoginProtocol server, String keyId) {
        static final RecordUnderKey NONE = new RecordUnderKey(null, null, null);
    }

    private static RecordUnderKey loadRecord(
            AuthenticationFlowContext context, OpaqueKeysProvider keys, RealmModel realm, UserModel user) {
        OpaqueCredentialProvider credentials = (OpaqueCredentialProvider)
                context.getSession().getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
        OpaqueCredentialModel credential = credentials.find(user);
        if (credential == null) {
            return RecordUnderKey.NONE;
        }
        OpaqueServer server = keys.server(realm, credential.keyId());
        if (server == null) {
            // its secret left the ring without a retire: the user is treated as having no password
            LOG.warnf(
                    "Stored %s credential %s is under setup secret '%s', which the keyring does not hold;"
                            + " answering with a fake KE2 (retire the key id before removing it)",
                    OpaqueConstants.CREDENTIAL_TYPE, credential.getId(), credential.keyId());
            return RecordUnderKey.NONE;
        }
        try {
            RegistrationRecord record = credential.record(keys.suite());
            return record == null
                    ? RecordUnderKey.NONE
                    : new RecordUnderKey(record, new LoginProtocol(server), credential.keyId());
        } catch (InvalidMessageException e) {
            LOG.warnf(
                    "Stored %s credential %s does not parse; answering with a fake KE2",
                    OpaqueConstants.CREDENTIAL_TYPE, credential.getId());
            return RecordUnderKey.NONE;
        }
    }
}
