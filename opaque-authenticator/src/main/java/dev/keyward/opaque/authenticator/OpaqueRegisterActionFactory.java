package dev.keyward.opaque.authenticator;

import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;

/** Registers {@link OpaqueRegisterAction} as required action {@code keyward-opaque-register}. */
public class OpaqueRegisterActionFactory implements RequiredActionFactory {

    @Override
    public RequiredActionProvider create(KeycloakSession session) {
        return new OpaqueRegisterAction(session);
    }

    @Override
    public String getId() {
        return OpaqueConstants.REGISTER_ACTION_ID;
    }

    @Override
    public String getDisplayText() {
        return "Set OPAQUE password";
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
