package dev.keyward.apitoken;

import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;

/** Serves {@link ApiTokenResource} at {@code /realms/{realm}/api-tokens}. */
public class ApiTokenResourceProvider implements RealmResourceProvider {
    private final KeycloakSession session;

    ApiTokenResourceProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public Object getResource() {
        return new ApiTokenResource(session);
    }

    @Override
    public void close() {}
}
