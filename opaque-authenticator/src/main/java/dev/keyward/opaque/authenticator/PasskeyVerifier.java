package dev.keyward.opaque.authenticator;

import jakarta.ws.rs.core.Response;
import java.util.function.Function;
import org.keycloak.WebAuthnConstants;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.WebAuthnConditionalUIAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.services.messages.Messages;

/**
 * Keycloak's own passkey check for the OPAQUE page: its conditional-UI authenticator (challenge,
 * policy, assertion verification, events and failures, all Keycloak's), with the OPAQUE page as
 * the page a failed passkey shows again, as Keycloak's form shows its own.
 */
final class PasskeyVerifier extends WebAuthnConditionalUIAuthenticator {
    private static final int ERROR_DETAIL_MAX = 64;

    private PasskeyVerifier(
            AuthenticationFlowContext context, Function<AuthenticationFlowContext, Response> errorPage) {
        super(context.getSession(), errorPage);
    }

    /** The verifier whose failures show the OPAQUE page again, with Keycloak's passkey error and a fresh challenge. */
    static PasskeyVerifier forPage(AuthenticationFlowContext context) {
        return new PasskeyVerifier(context, PasskeyVerifier::opaquePage);
    }

    /**
     * A ceremony that ended in the browser without an assertion ({@code error=}: the dialog
     * dismissed, no passkey on the device, user verification refused). Keycloak's own page gets
     * the same event (error {@code not_allowed}, its details) and the same page again with its
     * passkey error, but not Keycloak's {@code failure}: nothing was checked, so there is no
     * failed login to count, and Keycloak's processor would count it against whichever name the
     * session last typed.
     */
    Response ceremonyEnded(AuthenticationFlowContext context, String browserError) {
        context.getEvent()
                .detail(Details.CREDENTIAL_TYPE, getCredentialType())
                .detail(WebAuthnConstants.AUTH_ERR_LABEL, Messages.WEBAUTHN_ERROR_API_GET)
                .detail(WebAuthnConstants.AUTH_ERR_DETAIL_LABEL, shortened(browserError))
                .error(Errors.NOT_ALLOWED);
        return createErrorResponse(context, Messages.WEBAUTHN_ERROR_API_GET);
    }

    /** The browser's error name as the page posts it ("NotAllowedError"); whatever a client sends, no longer than that in the event. */
    private static String shortened(String browserError) {
        return browserError.length() <= ERROR_DETAIL_MAX ? browserError : browserError.substring(0, ERROR_DETAIL_MAX);
    }

    private static Response opaquePage(AuthenticationFlowContext context) {
        // Keycloak's error handling has set the error, the fresh challenge and, for a known user,
        // the hidden username on context.form(), the same provider OpaquePage.form adds to
        LoginFormsProvider form = OpaquePage.form(context);
        PasskeyOffer.mark(form);
        return form.createForm(OpaqueConstants.TEMPLATE_LOGIN);
    }
}
