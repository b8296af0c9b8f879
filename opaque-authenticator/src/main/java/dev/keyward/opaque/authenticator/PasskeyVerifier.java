package dev.keyward.opaque.authenticator;

import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.WebAuthnConditionalUIAuthenticator;
import org.keycloak.forms.login.LoginFormsProvider;

/**
 * Keycloak's own passkey check for the OPAQUE page: its conditional-UI authenticator (challenge,
 * policy, assertion verification, events and failures, all Keycloak's), with the OPAQUE page as
 * the page a failed passkey shows again, as Keycloak's form shows its own.
 */
final class PasskeyVerifier extends WebAuthnConditionalUIAuthenticator {
    private PasskeyVerifier(
            AuthenticationFlowContext context, Function<AuthenticationFlowContext, Response> errorPage) {
        super(context.getSession(), errorPage);
    }

    /** The verifier whose failures show the OPAQUE page again, with Keycloak's passkey error and a fresh challenge. */
    static PasskeyVerifier forPage(AuthenticationFlowContext context) {
        return new PasskeyVerifier(context, PasskeyVerifier::opaquePage);
    }

    private static Response opaquePage(AuthenticationFlowContext context) {
        // Keycloak's error handling has set the error, the fresh challenge and, for a known user,
        // the hidden username on context.form(), the same provider OpaquePage.form adds to
        LoginFormsProvider form = OpaquePage.form(context);
        PasskeyOffer.mark(form);
        return form.createForm(OpaqueConstants.TEMPLATE_LOGIN);
    }
}
