package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers {@link FederatedLoginAuthenticator} as {@code keyward-federated-login}. */
public class FederatedLoginAuthenticatorFactory implements AuthenticatorFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-federated-login";
    // stateless: one instance serves every request
    private static final FederatedLoginAuthenticator SINGLETON = new FederatedLoginAuthenticator();
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
        return "Federated login level (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "Post broker login: records the login as level of authentication 0 (\"federated\" in the realm's"
                + " acr.loa.map), since no local factor was checked. No page.";
    }

    /** Not a credential: its own category, so it never groups with a credential step or counts as one. */
    @Override
    public String getReferenceCategory() {
        return "federatedLogin";
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
