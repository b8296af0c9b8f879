package dev.keyward.vault;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Adds {@link VaultSecretEntity} to Keycloak's persistence unit, with its Liquibase changelog. */
public class VaultJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(VaultSecretEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/keyward-vault-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return VaultConstants.JPA_PROVIDER_ID;
    }

    @Override
    public void close() {}
}
