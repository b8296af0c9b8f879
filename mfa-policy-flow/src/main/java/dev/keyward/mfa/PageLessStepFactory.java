package dev.keyward.mfa;

import dev.keyward.common.StepFactory;
import org.keycloak.models.AuthenticationExecutionModel;

/**
 * What the factories of the pack's steps without settings share (the broker-flow steps, the
 * direct-grant refusal, and through {@link PolicyStepFactory} the policy's steps): no settings,
 * no user setup, required or disabled, and by default a reference category of their own (not a
 * credential, so a step never groups with a credential step or counts as one).
 */
abstract class PageLessStepFactory extends StepFactory {
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED,
    };

    @Override
    public String getReferenceCategory() {
        return getId();
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
