package dev.keyward.mfa;

import dev.keyward.common.StepFactory;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticator;
import org.keycloak.authentication.authenticators.conditional.ConditionalAuthenticatorFactory;
import org.keycloak.models.AuthenticationExecutionModel;

/** Registers {@link SecondFactorCondition} as {@code keyward-condition-second-factor}. */
public class SecondFactorConditionFactory extends StepFactory implements ConditionalAuthenticatorFactory {
    /** Condition id. */
    public static final String ID = "keyward-condition-second-factor";

    private static final SecondFactorCondition SINGLETON = new SecondFactorCondition();
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED,
    };

    @Override
    public ConditionalAuthenticator getSingleton() {
        return SINGLETON;
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Condition - two-factor sign-in on (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "True when the login needs a second factor: two_factor_enabled, the enable/disable two-factor action, or a client asking for the two-factor level. Put it before a Level of Authentication condition with level 2.";
    }

    @Override
    public boolean isConfigurable() {
        return false;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }
}
