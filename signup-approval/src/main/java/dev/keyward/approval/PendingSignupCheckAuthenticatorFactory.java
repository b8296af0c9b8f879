package dev.keyward.approval;

import dev.keyward.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;

/** Registers {@link PendingSignupCheckAuthenticator} as {@value #ID}; no options. */
public class PendingSignupCheckAuthenticatorFactory extends StepFactory {
    public static final String ID = "keyward-signup-approval-check";

    private static final PendingSignupCheckAuthenticator SINGLETON = new PendingSignupCheckAuthenticator();

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
        return "Pending sign-up check (Keyward)";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public String getHelpText() {
        return "First broker login, first step: an identity whose account still waits for an admin's approval"
                + " sees the waiting page again instead of being offered to link. Pair with Sign-up approval.";
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }
}
