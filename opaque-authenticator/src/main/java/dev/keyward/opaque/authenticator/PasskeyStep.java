package dev.keyward.opaque.authenticator;

import jakarta.ws.rs.core.Response;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.keycloak.WebAuthnConstants;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Errors;
import org.keycloak.sessions.AuthenticationSessionModel;
import org.keycloak.utils.StringUtil;

/**
 * {@code opaque_step=passkey}: a passkey assertion (or the browser's WebAuthn error) posted from
 * the OPAQUE page. Keycloak's own passkey authenticator checks it ({@link PasskeyVerifier}); a
 * failed assertion shows the OPAQUE page again with Keycloak's passkey error and is reported like
 * Keycloak's form reports it ({@code failure}: the brute-force protector counts it, under this
 * step's category, for the user the flow already knows, and for nobody else). The name an earlier
 * KE1 typed is dropped first, so neither that failure nor the login's event names it. A ceremony
 * that ended in the browser ({@code error=}) checked nothing: the page again, no failure.
 *
 * <p>A good passkey ends the first factor as a passkey sign-in, not a password one: the OPAQUE step
 * steps aside ({@code attempted}) and leaves the verified user in {@link PasskeyOffer#NOTE_PROVEN},
 * and the {@code keyward-passkey} step next to it succeeds with the passkey's credential type.
 * So the login records the passkey (the two-factor policy then asks another method), and the
 * completed step whose reference is {@code hwk} is the passkey's, which is what the amr claim
 * reads.
 */
final class PasskeyStep {
    private PasskeyStep() {}

    static void run(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        // a passkey post ends the page's password attempt, as a new page does: a KE3 or legacy
        // password sent after it finds nothing to check, so no password is checked uncounted
        // (those steps report failures through the typed name, which this step drops). A guess
        // its KE2 opened stays open in the ledger and counts as abandoned, as for any client that
        // never sends KE3.
        LoginAttempt.take(authSession);
        authSession.removeAuthNote(RekeyStep.NOTE);
        if (!PasskeyOffer.offered(context)) {
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(
                    OpaquePage.withError(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
            return;
        }
        if (!OpaquePage.isUserPreset(context)) {
            // the name an earlier KE1 of this session typed is not who a passkey names: Keycloak's
            // processor would count a failure here against it, and name it in the login's event
            authSession.removeAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        }
        PasskeyVerifier verifier = PasskeyVerifier.forPage(context);
        String browserError =
                context.getHttpRequest().getDecodedFormParameters().getFirst(WebAuthnConstants.ERROR);
        if (StringUtil.isNotBlank(browserError)) {
            context.challenge(verifier.ceremonyEnded(context, browserError));
            return;
        }
        AtomicBoolean verified = new AtomicBoolean();
        verifier.action(withoutSuccess(context, verified));
        if (!verified.get()) {
            return; // Keycloak's failure (or cancel) is already on the context
        }
        // offered() holds only with a keyward-passkey step beside the form: it ends the first factor
        authSession.setAuthNote(PasskeyOffer.NOTE_PROVEN, context.getUser().getId());
        context.attempted();
    }

    /**
     * The real context, except that Keycloak's {@code success(...)} only marks {@code verified}:
     * whether and where the first factor ends is decided above.
     */
    private static AuthenticationFlowContext withoutSuccess(AuthenticationFlowContext real, AtomicBoolean verified) {
        return (AuthenticationFlowContext) Proxy.newProxyInstance(
                AuthenticationFlowContext.class.getClassLoader(),
                new Class<?>[] {AuthenticationFlowContext.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("success")) {
                        verified.set(true);
                        return null;
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }
}
