package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link DirectGrantRefusalAuthenticator} as {@code keyward-direct-grant-refusal}. */
public class DirectGrantRefusalAuthenticatorFactory extends PageLessStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-direct-grant-refusal";
    // stateless: one instance serves every request
    private static final DirectGrantRefusalAuthenticator SINGLETON = new DirectGrantRefusalAuthenticator();

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
        return "Refuse password grants (Keyward)";
    }

    @Override
    public String getHelpText() {
        return "Direct grant flow: refuses every resource owner password grant with 400 unauthorized_client. OPAQUE"
                + " passwords never reach the server, and a password grant cannot ask for a second factor.";
    }
}
