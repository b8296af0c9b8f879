package dev.keyward.opaque.authenticator;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.time.Duration;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The OPAQUE username + password form: shows the page and dispatches its POSTs to the steps
 * ({@link Ke1Step}, {@link Ke3Step}, {@link LegacyMigrationStep}). The messages, fields and answers
 * are the wire protocol in {@code opaque-authenticator/WIRE.md}. When the realm enables passkeys the
 * page offers them too ({@link PasskeyOffer}, {@link PasskeyStep}).
 *
 * <p>Brute force: KE2 lets the client test its password guess without sending KE3 (the envelope
 * only opens with the right password), so every KE2 for an existing, unlocked user is one online
 * guess. It is opened in the user's {@link GuessLedger} (at most three open at once; a KE1 beyond
 * that gets a KE2 under a withheld key) and reported to Keycloak's brute-force protector (category
 * {@code password}) when it fails: a wrong KE3 at once ({@code failureChallenge}); a guess whose
 * client never sent KE3 when a later KE1 of the user finds it past the KE3 deadline or when the
 * same session sends a new KE1. A right KE3 reports nothing but the success (credential category
 * {@code password}, which clears the counter). N wrong passwords therefore lock the account
 * exactly as N wrong passwords in Keycloak's own form do, and good logins never look like
 * failures, even while the protector lags under load. Names without an account play the same
 * limits against a mirror of the lockout ({@link UnknownNameLockout}), with the same answers.
 */
public class OpaqueAuthenticator implements Authenticator {
    private final Duration ke3Deadline;

    /** @param ke3Deadline how long a client has from KE2 to KE3 before its guess counts as abandoned */
    public OpaqueAuthenticator(Duration ke3Deadline) {
        this.ke3Deadline = ke3Deadline;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        LoginAttempt.take(authSession);
        authSession.removeAuthNote(PasskeyOffer.NOTE_PROVEN);
        authSession.removeAuthNote(RekeyStep.NOTE);
        PendingRekey.drop(authSession);
        if (PasswordlessReauthentication.applies(context)) {
            // a re-authentication of a user with no password: the passkey or email-code step next
            context.attempted();
            return;
        }
        LoginFormsProvider form = OpaquePage.form(context);
        if (context.getUser() != null) {
            // an earlier step (identity-first, re-authentication) fixed the user: ask only for the password
            authSession.setAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH, "true");
            form.setAttribute(LoginFormsProvider.USERNAME_HIDDEN, true);
            form.setAttribute(LoginFormsProvider.REGISTRATION_DISABLED, true);
        } else {
            authSession.removeAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH);
        }
        PasskeyOffer.fill(context, form);
        context.challenge(form.createForm(OpaqueConstants.TEMPLATE_LOGIN));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        MultivaluedMap<String, String> formData = context.getHttpRequest().getDecodedFormParameters();
        String step = formData.getFirst(OpaqueConstants.FIELD_STEP);
        if (OpaqueConstants.STEP_KE1.equals(step)
                || OpaqueConstants.STEP_KE3.equals(step)
                || OpaqueConstants.STEP_KE3_REKEY.equals(step)) {
            OpenGuesses guesses = new OpenGuesses(context, ke3Deadline);
            try {
                if (OpaqueConstants.STEP_KE1.equals(step)) {
                    // a new login starts over: no re-registration of an earlier one in this session
                    context.getAuthenticationSession().removeAuthNote(RekeyStep.NOTE);
                    PendingRekey.drop(context.getAuthenticationSession());
                    Ke1Step.run(context, formData, guesses);
                } else if (OpaqueConstants.STEP_KE3.equals(step)) {
                    Ke3Step.run(context, formData, guesses);
                } else {
                    RekeyStep.ke3(context, formData, guesses, ke3Deadline);
                }
            } finally {
                guesses.flush();
            }
        } else if (PasskeyOffer.STEP.equals(step)) {
            PasskeyStep.run(context);
        } else if (OpaqueConstants.STEP_LEGACY.equals(step)) {
            LegacyMigrationStep.password(context, formData);
        } else if (OpaqueConstants.STEP_LEGACY_RECORD.equals(step)) {
            LegacyMigrationStep.record(context, formData);
        } else if (OpaqueConstants.STEP_REKEY_RECORD.equals(step) || OpaqueConstants.STEP_REKEY_SKIP.equals(step)) {
            RekeyStep.record(context, formData);
        } else {
            // the page again, 400, saying whether its script did not run or the client is a stray one
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(
                    OpaquePage.withError(context, OpaquePage.unknownStepMessage(step), Response.Status.BAD_REQUEST));
        }
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
