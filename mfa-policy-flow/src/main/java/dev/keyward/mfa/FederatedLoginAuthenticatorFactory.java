package dev.keyward.mfa;

import org.keycloak.authentication.Authenticator;
import org.keycloak.models.KeycloakSession;

/** Registers {@link FederatedLoginAuthenticator} as {@code keyward-federated-login}. */
public class FederatedLoginAuthenticatorFactory extends PageLessStepFactory {
    /** Authenticator id. */
    public static final String ID = "keyward-federated-login";
    // stateless: one instance serves every request
    private static final FederatedLoginAuthenticator SINGLETON = new FederatedLoginAuthenticator();

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
}
