package dev.keyward.emailcode;

import dev.keyward.common.BruteForce;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/** Checking a typed code: a match completes the step; a wrong one for a real send is a brute-force failure. */
final class CodeVerifier {
    private CodeVerifier() {}

    static void verify(
            AuthenticationFlowContext context, EmailCodeSettings settings, CodeSubject subject, String typed) {
        RealmModel realm = context.getRealm();
        StoredCode stored =
                StoredCode.fromNote(EmailCodeAuthenticator.notes(context).get(EmailCodeConstants.NOTE_CODE));
        String attempt = settings.alphabet().normalise(typed);
        context.getEvent().detail(Details.USERNAME, EmailCodePages.attemptedName(context, subject));
        if (stored == null) {
            // the first send was refused (cooldown, cap, SMTP): nothing to check against
            context.challenge(EmailCodePages.codePage(context, settings, subject, EmailCodeConstants.MSG_NONE_SENT));
            return;
        }
        if (attempt.isEmpty()) {
            context.challenge(EmailCodePages.codePage(context, settings, subject, EmailCodeConstants.MSG_MISSING));
            return;
        }
        UserModel user = subject.user() ? context.getSession().users().getUserById(realm, subject.id()) : null;
        // null while this user can be sent codes: not missing, disabled, locked or without a usable address
        String refusal = CodeSender.refusal(context, settings, user);
        byte[] key = CodeKeys.byId(context.getSession(), realm, stored.keyId());
        StoredCode.Verdict verdict = key == null
                ? StoredCode.Verdict.EXPIRED
                : stored.check(attempt, key, CodeSender.binding(context, subject), CodeSender.now());
        if (verdict == StoredCode.Verdict.MATCH && (refusal != null || !wellFormed(attempt, settings))) {
            // right code for a user who is now locked or disabled (decoys cannot match at all): answered as a wrong one
            verdict = StoredCode.Verdict.MISMATCH;
        }
        if (user != null) {
            context.getEvent().user(user);
        }
        switch (verdict) {
            case MATCH -> succeed(context, settings, user);
            case MISMATCH -> {
                StoredCode next = stored.afterMismatch();
                EmailCodeAuthenticator.notes(context).set(EmailCodeConstants.NOTE_CODE, next.toNote());
                if (refusal == null) {
                    // a guess at a code that was really sent; a locked user's tries are not compared, nor counted again
                    reportFailure(context, user, EmailCodePages.isFirstFactor(context.getAuthenticationSession()));
                }
                boolean locked =
                        Errors.USER_TEMPORARILY_DISABLED.equals(refusal) || Errors.USER_DISABLED.equals(refusal);
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "invalid")
                        .error(locked ? refusal : Errors.INVALID_CODE);
                context.challenge(EmailCodePages.codePage(
                        context,
                        settings,
                        subject,
                        next.attemptsLeft() > 0 ? EmailCodeConstants.MSG_INVALID : EmailCodeConstants.MSG_EXHAUSTED));
            }
            case EXPIRED -> {
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "expired")
                        .error(Errors.EXPIRED_CODE);
                context.challenge(EmailCodePages.codePage(context, settings, subject, EmailCodeConstants.MSG_EXPIRED));
            }
            case EXHAUSTED -> {
                context.getEvent()
                        .detail(EmailCodeConstants.DETAIL_OUTCOME, "exhausted")
                        .error(Errors.INVALID_CODE);
                context.challenge(
                        EmailCodePages.codePage(context, settings, subject, EmailCodeConstants.MSG_EXHAUSTED));
            }
        }
    }

    static void succeed(AuthenticationFlowContext context, EmailCodeSettings settings, UserModel user) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // single use
        EmailCodeAuthenticator.notes(context).remove(EmailCodeConstants.NOTE_CODE);
        EmailCodeAuthenticator.notes(context).remove(EmailCodeConstants.NOTE_SUBJECT);
        if (!user.isEmailVerified() && settings.markEmailVerified() && EmailCodePages.isFirstFactor(authSession)) {
            user.setEmailVerified(true);
            context.getEvent()
                    .clone()
                    .event(EventType.VERIFY_EMAIL)
                    .user(user)
                    .detail(Details.EMAIL, user.getEmail())
                    .detail(EmailCodeConstants.DETAIL_OUTCOME, "verified")
                    .success();
        }
        context.setUser(user);
        context.getEvent()
                .user(user)
                .detail(EmailCodeConstants.DETAIL_OUTCOME, "verified")
                .detail(Details.CREDENTIAL_TYPE, EmailCodeConstants.CREDENTIAL_TYPE);
        // with "otp" among the login's credentials Keycloak resets this user's failure counts
        // when the whole login succeeds, as after a right password or authenticator-app code
        AuthenticatorUtil.addAuthCredential(authSession, EmailCodeConstants.SECOND_FACTOR_CATEGORY);
        context.success(EmailCodeConstants.CREDENTIAL_TYPE);
    }

    /**
     * As a second factor a wrong code is an {@code otp} failure: it also counts against the realm's
     * limit for second-factor failures, which disables the account for good once passed (whoever
     * gets here knows the first factor). As the first factor it is a {@code password} failure:
     * counted and locked out exactly like a wrong password, but not against that permanent limit,
     * or anyone who knows a username could disable the account by typing wrong codes.
     */
    static void reportFailure(AuthenticationFlowContext context, UserModel user, boolean firstFactor) {
        BruteForce.reportFailures(
                context,
                user,
                firstFactor ? EmailCodeConstants.FIRST_FACTOR_CATEGORY : EmailCodeConstants.SECOND_FACTOR_CATEGORY,
                1);
    }

    static boolean wellFormed(String attempt, EmailCodeSettings settings) {
        if (attempt.length() != settings.length()) {
            return false;
        }
        String chars = settings.alphabet().characters();
        return attempt.chars().allMatch(c -> chars.indexOf(c) >= 0);
    }
}
