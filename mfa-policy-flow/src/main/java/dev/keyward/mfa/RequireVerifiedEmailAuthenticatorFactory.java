package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link RequireVerifiedEmailAuthenticator} as {@code keyward-idp-verified-email}. */
public class RequireVerifiedEmailAuthenticatorFactory extends PageLessStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-idp-verified-email";
    // stateless: one instance serves every request
    private static final RequireVerifiedEmailAuthenticator SINGLETON = new RequireVerifiedEmailAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Require email verified by the identity provider (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "First broker login: refuses the login unless the provider's validated token says email_verified=true"
                + " for the address the account will get. Put it before creating or linking the account.";
    }
}
