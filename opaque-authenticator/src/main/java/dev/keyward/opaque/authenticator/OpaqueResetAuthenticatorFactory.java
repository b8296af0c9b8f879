package dev.keyward.opaque.authenticator;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.provider.ProviderConfigProperty;

/** Registers {@link OpaqueResetAuthenticator} as {@code keyward-opaque-reset}. */
public class OpaqueResetAuthenticatorFactory implements AuthenticatorFactory {
    // no CONDITIONAL/ALTERNATIVE: a reset flow that may skip this step would end without a new password
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED,
    };
    // stateless: one instance serves every request
    private static final OpaqueResetAuthenticator INSTANCE = new OpaqueResetAuthenticator();

    @Override
    public Authenticator create(KeycloakSession session) {
        return INSTANCE;
    }

    @Override
    public String getId() {
        return OpaqueConstants.RESET_AUTHENTICATOR_ID;
    }

    @Override
    public String getDisplayType() {
        return "Reset OPAQUE password";
    }

    @Override
    public String getHelpText() {
        return "For the reset-credentials flow: the user sets a new OPAQUE password (required action "
                + OpaqueConstants.REGISTER_ACTION_ID
                + ") before the reset completes. Use it instead of Reset Password.";
    }

    /**
     * None, like Keycloak's {@code reset-password}: this step checks no credential, so it has
     * nothing for the brute-force protector to count and no credential type to list.
     */
    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS.clone();
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
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
