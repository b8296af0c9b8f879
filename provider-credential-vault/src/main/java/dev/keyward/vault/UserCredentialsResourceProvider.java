package dev.keyward.vault;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Serves {@link UserCredentialsResource} at {@code /realms/{realm}/keyward-vault}. */
public class UserCredentialsResourceProvider implements RealmResourceProvider {
    private final KeycloakSession session;

    UserCredentialsResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return new UserCredentialsResource(session);
    }

    @Override
    public void close() {}
}
