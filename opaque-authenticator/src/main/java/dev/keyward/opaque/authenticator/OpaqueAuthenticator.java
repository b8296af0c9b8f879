package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import dev.keyward.common.LoginNames;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE1;
import dev.keyward.opaque.KE3;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.MessageFormat;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.theme.Theme;

/**
 * OPAQUE username + password form. Wire protocol (the page's {@code keyward-opaque.js} and any
 * other client follow it):
 * <ol>
 *   <li>GET: {@code login-opaque.ftl}, a form with {@code username}, an unnamed password input,
 *       hidden {@code opaque_step} and {@code ke3}.</li>
 *   <li>fetch POST {@code opaque_step=ke1&username=..&ke1=<b64url>} to the form action:
 *       200 {@code {"ke2":"..","action":".."}} or 400 {@code {"error":"invalid_request"}}.</li>
 *   <li>form POST {@code opaque_step=ke3&ke3=<b64url>} to {@code action}: the flow continues,
 *       or the page again with "Invalid username or password.".</li>
 * </ol>
 *
 * <p>Brute force: KE2 lets the client test its password guess without sending KE3 (the
 * envelope only opens with the right password), so every KE2 for an existing, unlocked user is
 * one online guess. It is opened in the user's {@link GuessLedger} (at most three open at once;
 * a KE1 beyond that gets a fake KE2) and reported to Keycloak's brute-force protector (category
 * {@code password}) when it fails: a wrong KE3 at once ({@code failureChallenge}); a guess whose
 * client never sent KE3 when a later KE1 of the user finds it past the KE3 deadline
 * ({@code ke3-timeout}, 120 s) or when the same session sends a new KE1. A right KE3 reports
 * nothing but the success (credential category {@code password}, which clears the counter). N
 * wrong passwords therefore lock the account exactly as N wrong passwords in Keycloak's own form
 * do, and good logins never look like failures, even while the protector lags under load.
 *
 * <p>Legacy migration (execution config {@code legacyMigration=true} with an end date,
 * {@code legacyMigrationUntil}, not passed): a user who has a Keycloak
 * {@code password} credential and no OPAQUE record gets {@code {"legacy":true,"action":".."}}
 * instead of KE2. The page then sends the typed password once, with a registration request:
 * fetch POST {@code opaque_step=legacy&password=..&request=<b64url>} → 200
 * {@code {"response":"..","action":".."}} when Keycloak's own password check (federation,
 * rehashing included) accepts it, else 400 {@code {"error":"invalid_grant","message":"..",
 * "action":".."}}; then a form POST {@code opaque_step=legacy-record&record=<b64url>} stores the
 * record, removes the legacy password and completes the login. A name that matches no user gets
 * the legacy answer or a fake KE2 by a keyed coin that is stable per name
 * ({@link OpaqueKeysProvider#unknownUserLegacyCoin}), so neither answer tells that the account
 * does not exist. The legacy answer is not counted as a failure (it lets nobody test a
 * password); each wrong legacy password is, once.
 */
public class OpaqueAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(OpaqueAuthenticator.class);
    /** Configs already warned about (log only, so a per-node set is enough; bounded). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();
    /** Unknown-name buckets: at most this many names' slots and lockouts in the store (about 7 entries each). */
    static final int NAME_BUCKETS = 16384;

    private final KeycloakSession session;
    private final Duration ke3Deadline;
    private final Map<String, UnknownNameLockout> lockouts = new HashMap<>();

    /**
     * @param session the request's session
     * @param ke3Deadline how long a client has from KE2 to KE3 before its guess counts as abandoned
     */
    public OpaqueAuthenticator(KeycloakSession session, Duration ke3Deadline) {
        this.session = session;
        this.ke3Deadline = ke3Deadline;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        clearLoginNotes(authSession);
        LoginFormsProvider form = form(context);
        if (context.getUser() != null) {
            // an earlier step (identity-first, re-authentication) fixed the user: ask only for the password
            authSession.setAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH, "true");
            form.setAttribute(LoginFormsProvider.USERNAME_HIDDEN, true);
            form.setAttribute(LoginFormsProvider.REGISTRATION_DISABLED, true);
        } else {
            authSession.removeAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH);
        }
        context.challenge(form.createForm(OpaqueConstants.TEMPLATE_LOGIN));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> formData = context.getHttpRequest().getDecodedFormParameters();
        String step = formData.getFirst(OpaqueConstants.FIELD_STEP);
        if (OpaqueConstants.STEP_KE1.equals(step)) {
            try {
                ke1(context, formData);
            } finally {
                flushLockouts();
            }
        } else if (OpaqueConstants.STEP_KE3.equals(step)) {
            try {
                ke3(context, formData);
            } finally {
                flushLockouts();
            }
        } else if (OpaqueConstants.STEP_LEGACY.equals(step)) {
            legacy(context, formData);
        } else if (OpaqueConstants.STEP_LEGACY_RECORD.equals(step)) {
            legacyRecord(context, formData);
        } else {
            // a form POST without the protocol (JavaScript off, or a stray client): the page again, 400
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(page(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
        }
    }

    private void ke1(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        RealmModel realm = context.getRealm();
        // a new attempt replaces any unfinished one; a guess it left open (KE2 sent, no KE3) is a failure
        String openGuess = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_GUESS);
        String openGuessUser = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_USER);
        String openGuessName = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_UNKNOWN);
        clearLoginNotes(authSession);
        if (openGuess != null && openGuessUser != null) {
            UserModel guessed = session.users().getUserById(realm, openGuessUser);
            if (guessed != null && ledger(realm, guessed).close(openGuess)) {
                BruteForce.reportFailures(context, guessed, BruteForce.PASSWORD, 1);
            }
        } else if (openGuess != null
                && openGuessName != null
                && ledger(realm, openGuessName).close(openGuess)) {
            lockout(realm, openGuessName).failed(Time.currentTimeMillis(), 1);
        }
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
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
        if (isUserPreset(context)) {
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
            user = LoginNames.find(session, realm, username);
        }
        context.getEvent().detail(Details.USERNAME, attemptedName);

        RegistrationRecord record = null;
        byte[] credentialIdentifier;
        String lockError = null;
        boolean legacy;
        if (user != null) {
            credentialIdentifier = user.getId().getBytes(StandardCharsets.UTF_8);
            authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_USER, user.getId());
            // guesses of this user whose clients never sent KE3 count now, before the lock is read
            int abandoned = ledger(realm, user).sweep(Time.currentTimeMillis());
            if (abandoned > 0) {
                BruteForce.reportFailures(context, user, BruteForce.PASSWORD, abandoned);
            }
            lockError = BruteForce.lockError(context, user);
            if (lockError != null) {
                // a locked account is answered like its unlocked self, but never with its real KE2
                // nor an evaluation under its OPRF key: with the user's record (a database copy) that
                // would test one password per KE1, uncounted; the lock is reported at the next step
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED, lockError);
            }
            record = loadRecord(keys, user);
            legacy = legacyMigration(context)
                    && record == null
                    && user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE);
            if (lockError != null) {
                record = null;
                credentialIdentifier = keys.withheldUserIdentifier(realm, user.getId());
            }
        } else {
            credentialIdentifier = keys.unknownUserIdentifier(realm, attemptedName);
            legacy = legacyMigration(context) && keys.unknownUserLegacyCoin(realm, attemptedName);
        }
        String unknownName = user == null && !legacy ? nameKey(credentialIdentifier) : null;

        // KE1 consumed this request's one-time session code; the next step goes to a fresh one
        String action = context.getActionUrl(context.generateAccessCode()).toString();
        if (legacy) {
            // nothing to guess against yet: the password step that follows is what gets counted
            authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_LEGACY, "true");
            context.challenge(Wire.legacy(action));
            return;
        }
        if (user != null && lockError == null) {
            // one online guess (see class comment): open it in the ledger, or answer as locked when
            // the user already has as many open guesses as allowed
            String guess = ledger(realm, user).open(Time.currentTimeMillis());
            if (guess == null) {
                lockError = Errors.USER_TEMPORARILY_DISABLED;
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED, lockError);
                record = null;
                credentialIdentifier = keys.withheldUserIdentifier(realm, user.getId());
            } else {
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_GUESS, guess);
            }
        } else if (unknownName != null) {
            // an unknown name plays the same limits (open guesses, lockout) with the same answers:
            // the switch to a withheld key must not tell an account from a name without one
            long now = Time.currentTimeMillis();
            UnknownNameLockout lockout = lockout(realm, unknownName);
            GuessLedger ledger = ledger(realm, unknownName);
            lockout.failed(now, ledger.sweep(now));
            String guess = null;
            lockError = lockout.lockError(now);
            if (lockError == null) {
                guess = ledger.open(now);
                lockError = guess == null ? Errors.USER_TEMPORARILY_DISABLED : null;
            }
            if (guess != null) {
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_GUESS, guess);
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_UNKNOWN, unknownName);
            } else {
                authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED, lockError);
                credentialIdentifier = keys.withheldUserIdentifier(realm, unknownName);
            }
        }
        LoginProtocol.Start start = protocol.start(ke1, record, credentialIdentifier);
        authSession.setAuthNote(OpaqueConstants.NOTE_LOGIN_STATE, start.stateNote());
        context.challenge(Wire.ok(OpaqueConstants.JSON_KE2, start.ke2(), OpaqueConstants.JSON_ACTION, action));
    }

    private GuessLedger ledger(RealmModel realm, UserModel user) {
        return ledger(realm, user.getId());
    }

    /** @param owner a user id, or an unknown name's {@link #nameKey} (the two never collide) */
    private GuessLedger ledger(RealmModel realm, String owner) {
        return new GuessLedger(
                session.singleUseObjects(), realm.getId(), owner, ke3Deadline, realm.getMaxDeltaTimeSeconds());
    }

    /** This request's lockout of a name key: one instance per key, written once by {@link #flushLockouts}. */
    private UnknownNameLockout lockout(RealmModel realm, String nameKey) {
        return lockouts.computeIfAbsent(
                nameKey,
                k -> new UnknownNameLockout(
                        session.singleUseObjects(), realm.getId(), k, UnknownNameLockout.Policy.of(realm)));
    }

    private void flushLockouts() {
        lockouts.values().forEach(UnknownNameLockout::flush);
        lockouts.clear();
    }

    /**
     * An unknown name's key in the store: one of {@value #NAME_BUCKETS} buckets, chosen by a hash of
     * its credential identifier (itself keyed by the setup secret, so neither the store nor an
     * attacker can tell which names share one). Bounded, so KE1s for random names cannot fill the
     * cluster store; names that share a bucket share its limits, which for a name without an account
     * changes nothing but when its (always failing) answer is withheld. Never a user id (a UUID).
     */
    static String nameKey(byte[] unknownIdentifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(unknownIdentifier);
            int bucket = (((digest[0] & 0xff) << 8) | (digest[1] & 0xff)) % NAME_BUCKETS;
            return "name." + bucket;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }

    private void ke3(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use: read, then drop, before anything is checked
        String stateNote = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_STATE);
        String userId = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_USER);
        String lockError = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED);
        String guess = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_GUESS);
        String unknownName = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_UNKNOWN);
        clearLoginNotes(authSession);

        boolean preset = isUserPreset(context);
        String attempted = preset
                ? context.getUser().getUsername()
                : authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (attempted != null) {
            context.getEvent().detail(Details.USERNAME, attempted);
        }
        context.getEvent().detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE);
        UserModel user = userId == null ? null : session.users().getUserById(context.getRealm(), userId);
        if (preset && user != null && !user.getId().equals(context.getUser().getId())) {
            // a KE1 for another user than the flow's now (a second identity-provider login changed
            // it mid-flow): its KE3 proves nothing about this one
            user = null;
        }
        if (user != null) {
            context.getEvent().user(user);
        }
        // whatever KE3 says, this settles the guess; false if a later KE1 found it abandoned and counted it
        boolean guessOpen = guess != null
                && user != null
                && ledger(context.getRealm(), user).close(guess);
        if (guess != null
                && userId == null
                && unknownName != null
                && ledger(context.getRealm(), unknownName).close(guess)) {
            // an unknown name's guess always fails: counted where its lockout mimic keeps score
            lockout(context.getRealm(), unknownName).failed(Time.currentTimeMillis(), 1);
        }

        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        LoginProtocol protocol = new LoginProtocol(keys.server(context.getRealm()));
        KE3 ke3;
        try {
            ke3 = protocol.parseKe3(formData.getFirst(OpaqueConstants.FIELD_KE3));
        } catch (InvalidMessageException e) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            Response bad = page(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST);
            if (guessOpen) {
                // the client had its KE2: a malformed KE3 must not settle the guess for free
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, bad);
            } else {
                context.challenge(bad);
            }
            return;
        }
        if (lockError != null) {
            // Keycloak's own form answers a locked account like this (same message as a wrong password)
            context.getEvent().error(userId == null ? Errors.USER_NOT_FOUND : lockError);
            context.forceChallenge(page(context, BruteForce.lockMessage(lockError), Response.Status.OK));
            return;
        }
        // no state: a replayed KE3, one from another session, or KE3 without KE1
        boolean verified = protocol.finish(stateNote, ke3);
        if (!verified || user == null) {
            context.getEvent()
                    .error(
                            stateNote != null && userId == null
                                    ? Errors.USER_NOT_FOUND
                                    : Errors.INVALID_USER_CREDENTIALS);
            Response again = page(context, Messages.INVALID_USER, Response.Status.OK);
            if (guessOpen) {
                // the guess KE2 allowed was wrong: one failure, as a wrong password in Keycloak's form
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, again);
            } else {
                // unknown name (Keycloak counts nothing), a replay, or a guess already counted as abandoned
                context.challenge(again);
            }
            return;
        }
        if (!user.isEnabled()) {
            context.getEvent().error(Errors.USER_DISABLED);
            context.forceChallenge(page(context, Messages.ACCOUNT_DISABLED, Response.Status.OK));
            return;
        }
        if (!preset) {
            AuthenticatorUtils.processRememberMe(context, formData);
        }
        context.setUser(user);
        // both names: "keyward-opaque" for conditions that ask for OPAQUE, "password" so Keycloak's
        // brute-force protector treats this as a password login and clears the failure counter
        AuthenticatorUtil.addAuthCredential(authSession, OpaqueConstants.CREDENTIAL_TYPE);
        context.success(PasswordCredentialModel.TYPE);
    }

    /**
     * Legacy step: Keycloak checks the legacy password; if right, the answer is the registration
     * response for the OPAQUE record that replaces it. Accepted only right after a KE1 that was
     * answered with {@code legacy}.
     */
    private void legacy(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String userId = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_USER);
        String lockNote = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED);
        boolean afterLegacyKe1 = authSession.getAuthNote(OpaqueConstants.NOTE_LOGIN_LEGACY) != null;
        // single use, like the KE1 state: any answer below ends this attempt
        clearLoginNotes(authSession);

        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        String password = formData.getFirst(OpaqueConstants.FIELD_PASSWORD);
        RegistrationRequest request;
        try {
            if (!legacyMigration(context) || !afterLegacyKe1 || !LegacyMigration.acceptablePassword(password)) {
                throw new InvalidMessageException("legacy step not expected or no usable password");
            }
            request = protocol.parseRequest(formData.getFirst(OpaqueConstants.FIELD_REQUEST));
        } catch (InvalidMessageException e) {
            // nothing was checked, so nothing is counted
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(Wire.invalidRequest());
            return;
        }

        String attempted = isUserPreset(context)
                ? context.getUser().getUsername()
                : authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (attempted != null) {
            context.getEvent().detail(Details.USERNAME, attempted);
        }
        context.getEvent().detail(Details.CREDENTIAL_TYPE, PasswordCredentialModel.TYPE);
        UserModel user = userId == null ? null : session.users().getUserById(context.getRealm(), userId);
        if (isUserPreset(context)
                && user != null
                && !user.getId().equals(context.getUser().getId())) {
            // a KE1 for another user than the flow's now (a second identity-provider login changed
            // it mid-flow): its KE3 proves nothing about this one
            user = null;
        }
        String action = context.getActionUrl(context.generateAccessCode()).toString();
        if (user == null) {
            // like Keycloak's own form: spend the time of a password hash, then fail
            AuthenticatorUtils.dummyHash(context);
            context.getEvent().error(Errors.USER_NOT_FOUND);
            context.failureChallenge(
                    AuthenticationFlowError.INVALID_USER,
                    Wire.loginFailed(text(context, Messages.INVALID_USER), action));
            return;
        }
        context.getEvent().user(user);
        String lockError = BruteForce.lockError(context, user);
        if (lockError == null) {
            lockError = lockNote;
        }
        if (lockError != null) {
            // the same time and message as a wrong password; not counted, as in Keycloak's form
            AuthenticatorUtils.dummyHash(context);
            context.getEvent().error(lockError);
            context.forceChallenge(Wire.loginFailed(text(context, BruteForce.lockMessage(lockError)), action));
            return;
        }
        if (!user.credentialManager().isValid(UserCredentialModel.password(password))) {
            context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
            // the one count for this guess (the legacy KE1 answer counted nothing)
            context.failureChallenge(
                    AuthenticationFlowError.INVALID_CREDENTIALS,
                    Wire.loginFailed(text(context, Messages.INVALID_USER), action));
            return;
        }
        if (!user.isEnabled()) {
            context.getEvent().error(Errors.USER_DISABLED);
            context.forceChallenge(Wire.loginFailed(text(context, Messages.ACCOUNT_DISABLED), action));
            return;
        }
        String response = protocol.respond(request, user.getId().getBytes(StandardCharsets.UTF_8));
        authSession.setAuthNote(
                OpaqueConstants.NOTE_LEGACY_VERIFIED,
                LegacyMigration.verifiedNote(protocol.suite().identifier(), user.getId()));
        context.challenge(Wire.ok(OpaqueConstants.JSON_RESPONSE, response, OpaqueConstants.JSON_ACTION, action));
    }

    /**
     * Record step of the migration: stores the OPAQUE record of the user whose legacy password
     * was just checked, removes the legacy password and completes the login.
     */
    private void legacyRecord(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String verifiedNote = authSession.getAuthNote(OpaqueConstants.NOTE_LEGACY_VERIFIED);
        clearLoginNotes(authSession);

        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        String userId =
                LegacyMigration.verifiedUserId(verifiedNote, protocol.suite().identifier());
        UserModel user = userId == null || !legacyMigration(context)
                ? null
                : session.users().getUserById(context.getRealm(), userId);
        RegistrationRecord record = null;
        try {
            record = protocol.parseRecord(formData.getFirst(OpaqueConstants.FIELD_RECORD));
        } catch (InvalidMessageException e) {
            user = null;
        }
        boolean preset = isUserPreset(context);
        if (user == null || (preset && !user.getId().equals(context.getUser().getId()))) {
            // no legacy check passed in this session (or a malformed record): nothing is stored
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(page(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
            return;
        }
        context.getEvent()
                .user(user)
                .detail(
                        Details.USERNAME,
                        preset
                                ? user.getUsername()
                                : authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME));
        String lockError = BruteForce.lockError(context, user);
        if (lockError != null) {
            // locked by other guesses since the password was checked: no migration now
            context.getEvent().error(lockError);
            context.forceChallenge(page(context, BruteForce.lockMessage(lockError), Response.Status.OK));
            return;
        }

        OpaqueCredentialProvider credentials = (OpaqueCredentialProvider)
                session.getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
        int removed = credentials.replaceLegacyPasswords(
                context.getRealm(),
                user,
                OpaqueCredentialModel.create(protocol.suite(), user.getId(), keys.ksf(), record.toBytes()));
        context.getEvent()
                .detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE)
                .detail(OpaqueConstants.DETAIL_MIGRATED, "true")
                .detail(OpaqueConstants.DETAIL_LEGACY_PASSWORDS_REMOVED, Integer.toString(removed));
        requireOwnPasswordAfterTemporary(context, user);
        if (!preset) {
            AuthenticatorUtils.processRememberMe(context, formData);
        }
        context.setUser(user);
        // as after KE3: "keyward-opaque" for conditions, "password" so brute force clears the count
        AuthenticatorUtil.addAuthCredential(authSession, OpaqueConstants.CREDENTIAL_TYPE);
        context.success(PasswordCredentialModel.TYPE);
    }

    /**
     * An admin's temporary password (Keycloak marks it with the UPDATE_PASSWORD required action)
     * must not live on as the user's OPAQUE password, and UPDATE_PASSWORD would ask for a new
     * Keycloak password, a server-checked one next to OPAQUE: the user sets a new OPAQUE password
     * instead, right after this login. Kept as it is when the realm has the OPAQUE action disabled,
     * because Keycloak silently skips disabled actions and the temporary password would stay.
     */
    private static void requireOwnPasswordAfterTemporary(AuthenticationFlowContext context, UserModel user) {
        String updatePassword = UserModel.RequiredAction.UPDATE_PASSWORD.name();
        if (user.getRequiredActionsStream().noneMatch(updatePassword::equals)) {
            return;
        }
        if (!OpaqueRegisterAction.usableIn(context.getRealm())) {
            LOG.warnf(
                    "Realm %s: a temporary password was migrated but required action %s is not enabled;"
                            + " Keycloak's UPDATE_PASSWORD stays",
                    context.getRealm().getName(), OpaqueConstants.REGISTER_ACTION_ID);
            return;
        }
        user.removeRequiredAction(updatePassword);
        user.addRequiredAction(OpaqueConstants.REGISTER_ACTION_ID);
    }

    /**
     * The execution's {@code legacyMigration} setting, within its end date; off without a config.
     * On without an end date, or past it, it is off, with a warning (once per node and config).
     */
    private static boolean legacyMigration(AuthenticationFlowContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        LegacyMigration.Window window =
                LegacyMigration.window(config == null ? null : config.getConfig(), LocalDate.now(ZoneOffset.UTC));
        if (window == LegacyMigration.Window.NO_END_DATE || window == LegacyMigration.Window.ENDED) {
            String key = config.getId() + ":" + window;
            if (WARNED.size() < 1000 && WARNED.add(key)) {
                LOG.warnf(
                        "Realm %s: legacy password migration is on in execution config %s but %s; it is off",
                        context.getRealm().getName(),
                        config.getAlias(),
                        window == LegacyMigration.Window.ENDED
                                ? "its end date (" + OpaqueConstants.CONFIG_LEGACY_MIGRATION_UNTIL + ") has passed"
                                : "it has no valid end date (" + OpaqueConstants.CONFIG_LEGACY_MIGRATION_UNTIL
                                        + ", yyyy-MM-dd)");
            }
        }
        return window == LegacyMigration.Window.OPEN;
    }

    /**
     * A login-theme message in the user's locale, as the login page would render it: the legacy
     * step answers with JSON, and the page shows exactly this text.
     */
    private String text(AuthenticationFlowContext context, String key) {
        Locale locale = session.getContext().resolveLocale(null);
        try {
            Properties messages =
                    session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(context.getRealm(), locale);
            String pattern = messages.getProperty(key);
            return pattern == null ? key : new MessageFormat(pattern, locale).format(new Object[0]);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("No login-theme text for %s", key);
            return key;
        }
    }

    private RegistrationRecord loadRecord(OpaqueKeysProvider keys, UserModel user) {
        OpaqueCredentialProvider credentials = (OpaqueCredentialProvider)
                session.getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
        OpaqueCredentialModel credential = credentials.find(user);
        if (credential == null) {
            return null;
        }
        try {
            return credential.record(keys.suite());
        } catch (InvalidMessageException e) {
            LOG.warnf(
                    "Stored %s credential %s does not parse; answering with a fake KE2",
                    OpaqueConstants.CREDENTIAL_TYPE, credential.getId());
            return null;
        }
    }

    private boolean isUserPreset(AuthenticationFlowContext context) {
        return context.getUser() != null
                && Boolean.parseBoolean(context.getAuthenticationSession()
                        .getAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH));
    }

    private LoginFormsProvider form(AuthenticationFlowContext context) {
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        return context.form()
                .setAttribute(OpaqueConstants.ATTR_SUITE, keys.suite().identifier())
                .setAttribute(OpaqueConstants.ATTR_KSF, ksfJson(keys))
                .setAttribute(OpaqueConstants.ATTR_USERNAME, prefilledUsername(context));
    }

    /** The name to show in the username field: what was just submitted, else the OIDC login_hint. */
    private static String prefilledUsername(AuthenticationFlowContext context) {
        String submitted = "POST".equalsIgnoreCase(context.getHttpRequest().getHttpMethod())
                ? context.getHttpRequest().getDecodedFormParameters().getFirst(OpaqueConstants.FIELD_USERNAME)
                : null;
        if (submitted != null && submitted.length() <= LoginNames.MAX_LENGTH) {
            return submitted;
        }
        String hint = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        return hint == null ? "" : hint;
    }

    private Response page(AuthenticationFlowContext context, String error, Response.Status status) {
        LoginFormsProvider form = form(context);
        if (isUserPreset(context)) {
            form.setAttribute(LoginFormsProvider.USERNAME_HIDDEN, true);
            form.setAttribute(LoginFormsProvider.REGISTRATION_DISABLED, true);
        }
        form.setError(error);
        if (status != Response.Status.OK) {
            form.setStatus(status);
        }
        return form.createForm(OpaqueConstants.TEMPLATE_LOGIN);
    }

    /** {@code {"t":3,"m":65536,"p":4}}: what the page hands to the OPAQUE client as Argon2id parameters. */
    static String ksfJson(OpaqueKeysProvider keys) {
        return "{\"t\":" + keys.ksf().iterations() + ",\"m\":" + keys.ksf().memoryKiB() + ",\"p\":"
                + keys.ksf().parallelism() + "}";
    }

    private static void clearLoginNotes(AuthenticationSessionModel authSession) {
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_STATE);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_USER);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_LOCKED);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_GUESS);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_UNKNOWN);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LOGIN_LEGACY);
        authSession.removeAuthNote(OpaqueConstants.NOTE_LEGACY_VERIFIED);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return user.credentialManager().isConfiguredFor(OpaqueConstants.CREDENTIAL_TYPE);
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // a user without an OPAQUE password gets the same answer as a wrong password; enrolment
        // is the admin's or the migration flow's decision, not this form's
    }

    @Override
    public void close() {}
}
