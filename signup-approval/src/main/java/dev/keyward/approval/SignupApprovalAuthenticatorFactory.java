package dev.keyward.approval;

import dev.keyward.common.StepFactory;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel.Requirement;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Registers {@link SignupApprovalAuthenticator} as {@value #ID}, with its one option. */
public class SignupApprovalAuthenticatorFactory extends StepFactory {
    public static final String ID = "keyward-signup-approval";
    /** Step option: mail the approvers (default {@code true}); the event is written either way. */
    public static final String NOTIFY_BY_EMAIL = "keyward.approval.notifyByEmail";

    private static final SignupApprovalAuthenticator SINGLETON = new SignupApprovalAuthenticator();
    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(NOTIFY_BY_EMAIL)
            .label("Email the approvers")
            .helpText("Mail each user holding realm-management's manage-users or realm-admin role directly, with a"
                    + " verified address, when an account starts waiting (needs the realm's SMTP settings). The"
                    + " REGISTER event is written either way.")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("true")
            .add()
            .build();

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
        return "Sign-up approval (Keyward)";
    }

    @Override
    public String getReferenceCategory() {
        return null;
    }

    @Override
    public String getHelpText() {
        return "First broker login, after the account step: an account just created through an identity provider"
                + " whose config has keyward.approvalRequired=true is disabled until an admin approves it, and the"
                + " user sees a waiting page. Linked existing accounts pass.";
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public Requirement[] getRequirementChoices() {
        return new Requirement[] {Requirement.REQUIRED, Requirement.DISABLED};
    }
}
