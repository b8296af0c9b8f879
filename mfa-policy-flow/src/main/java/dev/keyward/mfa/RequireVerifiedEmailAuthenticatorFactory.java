package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers {@link RequireVerifiedEmailAuthenticator} as {@code keyward-idp-verified-email}. */
public class RequireVerifiedEmailAuthenticatorFactory implements AuthenticatorFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-idp-verified-email";
    // stateless: one instance serves every request
    private static final RequireVerifiedEmailAuthenticator SINGLETON = new RequireVerifiedEmailAuthenticator();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED,
        AuthenticationExecutionModel.Requirement.DISABLED,
    };

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

    /** Not a credential: its own category, so it never groups with a credential step or counts as one. */
    @Override
    public String getReferenceCategory() {
        return "idpVerifiedEmail";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public boolean isUserSetupAllowed() {
        return false;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return List.of();
    }

    @Override
    public void init(Config.Scope config) {
    }

    @Override
    public void postInit(KeycloakSessionFactory factory) {
    }

    @Override
    public void close() {
    }
}
