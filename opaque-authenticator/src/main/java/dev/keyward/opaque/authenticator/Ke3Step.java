package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE3;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.messages.Messages;
import org.keycloak.sessions.AuthenticationSessionModel;

/** KE3: the client's proof settles the guess KE1 opened, and a right one completes the first factor. */
final class Ke3Step {
    private Ke3Step() {}

    /** How a failed KE3 is answered: the login page for the form post, JSON for the rekey fetch step. */
    interface Answers {
        /** @return the answer to a failure; {@code error} is a login-theme message key */
        Response failed(AuthenticationFlowContext context, String error, Response.Status status);
    }

    /** The login page again, with the message. */
    static final Answers PAGE = OpaquePage::withError;

    /** A KE3 that verified: whose it is and the login's session key (secret; wipe after use). */
    record Verified(UserModel user, byte[] sessionKey) {
        @Override
        public String toString() {
            return "Verified[redacted]";
        }
    }

    static void run(AuthenticationFlowContext context, MultivaluedMap<String, String> formData, OpenGuesses guesses) {
        Verified verified = verify(context, formData, guesses, PAGE);
        if (verified != null) {
            Arrays.fill(verified.sessionKey(), (byte) 0);
            complete(context, formData, verified.user());
        }
    }

    /**
     * Takes the attempt, settles its guess and checks KE3. Every failure is answered (and counted)
     * here.
     *
     * @return the verified login, or null when a failure was answered
     */
    static Verified verify(
            AuthenticationFlowContext context,
            MultivaluedMap<String, String> formData,
            OpenGuesses guesses,
            Answers answers) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use: read, then dropped, before anything is checked
        LoginAttempt attempt = LoginAttempt.take(authSession);

        UserModel user = attempt.account(context, OpaqueConstants.CREDENTIAL_TYPE);
        if (user != null) {
            context.getEvent().user(user);
        }
        // whatever KE3 says, this settles the guess; false if a later KE1 found it abandoned and counted it
        boolean guessOpen =
                attempt.guess() != null && user != null && guesses.ledger(user).close(attempt.guess());
        if (attempt.guess() != null
                && attempt.userId() == null
                && attempt.unknownName() != null
                && guesses.ledger(attempt.unknownName()).close(attempt.guess())) {
            // an unknown name's guess always fails: counted where its lockout mimic keeps score
            guesses.lockout(attempt.unknownName()).failed(Time.currentTimeMillis(), 1);
        }

        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        LoginProtocol protocol = new LoginProtocol(keys.server(context.getRealm()));
        KE3 ke3;
        try {
            ke3 = protocol.parseKe3(formData.getFirst(OpaqueConstants.FIELD_KE3));
        } catch (InvalidMessageException e) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            Response bad = answers.failed(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST);
            if (guessOpen) {
                // the client had its KE2: a malformed KE3 must not settle the guess for free
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, bad);
            } else {
                context.challenge(bad);
            }
            return null;
        }
        if (attempt.locked() != null) {
            // Keycloak's own form answers a locked account like this (same message as a wrong password)
            context.getEvent().error(attempt.userId() == null ? Errors.USER_NOT_FOUND : attempt.locked());
            context.forceChallenge(
                    answers.failed(context, BruteForce.lockMessage(attempt.locked()), Response.Status.OK));
            return null;
        }
        // no state: a replayed KE3, one from another session, or KE3 without KE1
        byte[] sessionKey = protocol.finishWithKey(attempt.state(), ke3);
        if (sessionKey == null || user == null) {
            if (sessionKey != null) {
                Arrays.fill(sessionKey, (byte) 0);
            }
            context.getEvent()
                    .error(
                            attempt.state() != null && attempt.userId() == null
                                    ? Errors.USER_NOT_FOUND
                                    : Errors.INVALID_USER_CREDENTIALS);
            Response again = answers.failed(context, Messages.INVALID_USER, Response.Status.OK);
            if (guessOpen) {
                // the guess KE2 allowed was wrong: one failure, as a wrong password in Keycloak's form
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, again);
            } else {
                // unknown name (Keycloak counts nothing), a replay, or a guess already counted as abandoned
                context.challenge(again);
            }
            return null;
        }
        if (!user.isEnabled()) {
            Arrays.fill(sessionKey, (byte) 0);
            context.getEvent().error(Errors.USER_DISABLED);
            context.forceChallenge(answers.failed(context, Messages.ACCOUNT_DISABLED, Response.Status.OK));
            return null;
        }
        return new Verified(user, sessionKey);
    }

    /** The first factor is done: the flow continues as after Keycloak's own password form. */
    static void complete(AuthenticationFlowContext context, MultivaluedMap<String, String> formData, UserModel user) {
        if (!OpaquePage.isUserPreset(context)) {
            AuthenticatorUtils.processRememberMe(context, formData);
        }
        context.setUser(user);
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // both names: "keyward-opaque" for conditions that ask for OPAQUE, "password" so Keycloak's
        // brute-force protector treats this as a password login and clears the failure counter
        AuthenticatorUtil.addAuthCredential(authSession, OpaqueConstants.CREDENTIAL_TYPE);
        context.success(PasswordCredentialModel.TYPE);
    }
}
