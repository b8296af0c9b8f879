package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE3;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
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

    static void run(AuthenticationFlowContext context, MultivaluedMap<String, String> formData, OpenGuesses guesses) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use: read, then dropped, before anything is checked
        LoginAttempt attempt = LoginAttempt.take(authSession);

        boolean preset = OpaquePage.isUserPreset(context);
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
            Response bad =
                    OpaquePage.withError(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST);
            if (guessOpen) {
                // the client had its KE2: a malformed KE3 must not settle the guess for free
                context.failureChallenge(AuthenticationFlowError.INVALID_CREDENTIALS, bad);
            } else {
                context.challenge(bad);
            }
            return;
        }
        if (attempt.locked() != null) {
            // Keycloak's own form answers a locked account like this (same message as a wrong password)
            context.getEvent().error(attempt.userId() == null ? Errors.USER_NOT_FOUND : attempt.locked());
            context.forceChallenge(
                    OpaquePage.withError(context, BruteForce.lockMessage(attempt.locked()), Response.Status.OK));
            return;
        }
        // no state: a replayed KE3, one from another session, or KE3 without KE1
        boolean verified = protocol.finish(attempt.state(), ke3);
        if (!verified || user == null) {
            context.getEvent()
                    .error(
                            attempt.state() != null && attempt.userId() == null
                                    ? Errors.USER_NOT_FOUND
                                    : Errors.INVALID_USER_CREDENTIALS);
            Response again = OpaquePage.withError(context, Messages.INVALID_USER, Response.Status.OK);
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
            context.forceChallenge(OpaquePage.withError(context, Messages.ACCOUNT_DISABLED, Response.Status.OK));
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
}
