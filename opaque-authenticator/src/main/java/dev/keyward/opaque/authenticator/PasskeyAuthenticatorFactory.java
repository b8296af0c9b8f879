package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeywardIds;
import dev.keyward.common.StepFactory;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;

/** Registers {@link PasskeyAuthenticator} as {@code keyward-passkey}. */
public class PasskeyAuthenticatorFactory extends StepFactory {
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.ALTERNATIVE, AuthenticationExecutionModel.Requirement.DISABLED,
    };

    @Override
    public Authenticator create(KeycloakSession session) {
        return new PasskeyAuthenticator(session);
    }

    @Override
    public String getId() {
        return KeywardIds.PASSKEY_AUTHENTICATOR;
    }

    @Override
    public String getDisplayType() {
        return "Passkey (next to the OPAQUE form)";
    }

    @Override
    public String getHelpText() {
        return "Place right after the OPAQUE password form, as an alternative. Ends a passkey sign-in begun on the"
                + " OPAQUE page (its amr reference is this step's), and shows Keycloak's passkey page when chosen"
                + " under \"Try another way\". A re-authentication opens on the OPAQUE page, not on this step.";
    }

    /** Keycloak's own passkey category, as its passwordless authenticator reports. */
    @Override
    public String getReferenceCategory() {
        return KeywardIds.PASSKEY_CREDENTIAL_TYPE;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }
}
