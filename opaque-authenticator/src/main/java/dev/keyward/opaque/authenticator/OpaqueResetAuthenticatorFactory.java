package dev.keyward.opaque.authenticator;

import dev.keyward.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;

/** Registers {@link OpaqueResetAuthenticator} as {@code keyward-opaque-reset}. */
public class OpaqueResetAuthenticatorFactory extends StepFactory {
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
}
