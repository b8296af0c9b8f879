package dev.keyward.apitoken;

import org.keycloak.Config;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.protocol.oidc.grants.OAuth2GrantType;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeFactory;

/** Registers {@link ApiTokenGrantType} at the realm's token endpoint. */
public class ApiTokenGrantTypeFactory implements OAuth2GrantTypeFactory {
    @Override
    public OAuth2GrantType create(KeycloakSession session) {
        return new ApiTokenGrantType();
    }

    @Override
    public String getShortcut() {
        return ApiTokenConstants.GRANT_SHORTCUT;
    }

    @Override
    public String getId() {
        return ApiTokenConstants.GRANT_TYPE;
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
