package dev.keyward.vault;

import dev.keyward.common.NoLifecycleFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.resource.RealmResourceProvider;
import org.keycloak.services.resource.RealmResourceProviderFactory;

/** Registers the user endpoint as {@code keyward-vault}. */
public class UserCredentialsResourceProviderFactory
        implements RealmResourceProviderFactory, NoLifecycleFactory<RealmResourceProvider> {

    @Override
    public RealmResourceProvider create(KeycloakSession session) {
        return new UserCredentialsResourceProvider(session);
    }

    @Override
    public String getId() {
        return VaultConstants.RESOURCE_ID;
    }
}
