package dev.keyward.apitoken;

import java.util.List;
import org.keycloak.connections.jpa.entityprovider.JpaEntityProvider;

/** Adds {@link ApiTokenEntity} to Keycloak's persistence unit, with its Liquibase changelog. */
public class ApiTokenJpaEntityProvider implements JpaEntityProvider {

    @Override
    public List<Class<?>> getEntities() {
        return List.of(ApiTokenEntity.class);
    }

    @Override
    public String getChangelogLocation() {
        return "META-INF/keyward-api-tokens-changelog.xml";
    }

    @Override
    public String getFactoryId() {
        return ApiTokenConstants.JPA_PROVIDER_ID;
    }

    @Override
    public void close() {}
}
