package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.UserCredentialModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The two legacy-migration steps after a KE1 answered {@code legacy}: Keycloak checks the typed
 * legacy password and answers with the registration response; then the record is stored, the
 * legacy password removed and the login completed.
 */
final class LegacyMigrationStep {
    private static final Logger LOG = Logger.getLogger(LegacyMigrationStep.class);
    /** Configs already warned about (log only, so a per-node set is enough; bounded). */
    private static final Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private LegacyMigrationStep() {}

    /**
     * Legacy step: accepted only right after a KE1 that was answered with {@code legacy}. A wrong
     * password is counted once; the KE1 answer counted nothing.
     */
    static void password(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use, like the KE1 state: any answer below ends this attempt
        LoginAttempt attempt = LoginAttempt.take(authSession);

        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        String password = formData.getFirst(OpaqueConstants.FIELD_PASSWORD);
        RegistrationRequest request;
        try {
            if (!enabled(context) || !attempt.legacy() || !LegacyMigration.acceptablePassword(password)) {
                throw new InvalidMessageException("legacy step not expected or no usable password");
            }
            request = protocol.parseRequest(formData.getFirst(OpaqueConstants.FIELD_REQUEST));
        } catch (InvalidMessageException e) {
            // nothing was checked, so nothing is counted
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(Wire.invalidRequest());
            return;
        }

        boolean preset = OpaquePage.isUserPreset(context);
        UserModel user = attempt.account(context, PasswordCredentialModel.TYPE);
        String action = context.getActionUrl(context.generateAccessCode()).toString();
        if (user == null) {
            // like Keycloak's own form: spend the time of a password hash, then fail
            AuthenticatorUtils.dummyHash(context);
            context.getEvent().error(Errors.USER_NOT_FOUND);
            context.failureChallenge(
                    AuthenticationFlowError.INVALID_USER,
                    Wire.loginFailed(OpaquePage.text(context, Messages.INVALID_USER), action));
            return;
        }
        context.getEvent().user(user);
        String lockError = BruteForce.lockError(context, user);
        if (lockError == null) {
            lockError = attempt.locked();
        }
        if (lockError != null) {
            // the same time and message as a wrong password; not counted, as in Keycloak's form
            AuthenticatorUtils.dummyHash(context);
            context.getEvent().error(lockError);
            context.forceChallenge(
                    Wire.loginFailed(OpaquePage.text(context, BruteForce.lockMessage(lockError)), action));
            return;
        }
        if (!user.credentialManager().isValid(UserCredentialModel.password(password))) {
            context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
            // the one count for this guess (the legacy KE1 answer counted nothing)
            context.failureChallenge(
                    AuthenticationFlowError.INVALID_CREDENTIALS,
                    Wire.loginFailed(OpaquePage.text(context, Messages.INVALID_USER), action));
            return;
        }
        if (!user.isEnabled()) {
            context.getEvent().error(Errors.USER_DISABLED);
            context.forceChallenge(Wire.loginFailed(OpaquePage.text(context, Messages.ACCOUNT_DISABLED), action));
            return;
        }
        String response = protocol.respond(request, user.getId().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        authSession.setAuthNote(RegistrationProtocol.KEY_NOTE, keys.activeKeyId());
        LoginAttempt.legacyVerified(
                        LegacyMigration.verifiedNote(protocol.suite().identifier(), user.getId()))
                .save(authSession);
        context.challenge(Wire.ok(OpaqueConstants.JSON_RESPONSE, response, OpaqueConstants.JSON_ACTION, action));
    }

    /**
     * Record step: stores the OPAQUE record of the user whose legacy password was just checked,
     * removes the legacy password and completes the login.
     */
    static void record(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String verifiedNote = LoginAttempt.take(authSession).legacyVerified();

        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        String userId =
                LegacyMigration.verifiedUserId(verifiedNote, protocol.suite().identifier());
        UserModel user = userId == null || !enabled(context)
                ? null
                : context.getSession().users().getUserById(context.getRealm(), userId);
        RegistrationRecord record = null;
        try {
            record = protocol.parseRecord(formData.getFirst(OpaqueConstants.FIELD_RECORD));
        } catch (InvalidMessageException e) {
            user = null;
        }
        boolean preset = OpaquePage.isUserPreset(context);
        if (user == null || (preset && !user.getId().equals(context.getUser().getId()))) {
            // no legacy check passed in this session (or a malformed record): nothing is stored
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(
                    OpaquePage.withError(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
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
            context.forceChallenge(
                    OpaquePage.withError(context, BruteForce.lockMessage(lockError), Response.Status.OK));
            return;
        }

        OpaqueCredentialProvider credentials = (OpaqueCredentialProvider)
                context.getSession().getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
        int removed = credentials.replaceLegacyPasswords(
                context.getRealm(),
                user,
                OpaqueCredentialModel.create(
                        protocol.suite(),
                        user.getId(),
                        keys.ksf(),
                        record.toBytes(),
                        RegistrationProtocol.takeKeyId(authSession, keys)));
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
    static boolean enabled(AuthenticationFlowContext context) {
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
}
