package dev.keyward.mfa;

import dev.keyward.common.StepFactory;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Registers {@link SecondFactorAuthenticator} as {@code keyward-second-factor}. */
public class SecondFactorAuthenticatorFactory extends StepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-second-factor";
    /** Config key: seconds from the first factor by which the second must be done. */
    public static final String MFA_SESSION_SECONDS = "mfaSessionSeconds";

    static final long DEFAULT_MFA_SESSION_SECONDS = 300;

    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED, AuthenticationExecutionModel.Requirement.DISABLED,
    };

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(MFA_SESSION_SECONDS)
            .label("MFA session (seconds)")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Long.toString(DEFAULT_MFA_SESSION_SECONDS))
            .helpText("Time allowed between the first factor and the end of the second, whatever the realm's login"
                    + " timeout; after it the sign-in starts over with a fresh first factor.")
            .add()
            .build();

    @Override
    public Authenticator create(KeycloakSession session) {
        return new SecondFactorAuthenticator(session);
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public String getDisplayType() {
        return "Second factor (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "Asks for one of the user's usable methods (passkey, email code, OPAQUE password) other than the one"
                + " the login already used, and runs it.";
    }

    /** {@code otp}: failures of the method it runs count in the primary and the second-factor counts. */
    @Override
    public String getReferenceCategory() {
        return "otp";
    }

    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }
}
