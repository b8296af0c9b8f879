package dev.keyward.opaque.authenticator;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers the {@code keyward-opaque} credential type. */
public class OpaqueCredentialProviderFactory implements CredentialProviderFactory<OpaqueCredentialProvider> {

    @Override
    public OpaqueCredentialProvider create(KeycloakSession session) {
        return new OpaqueCredentialProvider(session);
    }

    @Override
    public String getId() {
        return OpaqueConstants.CREDENTIAL_PROVIDER_ID;
    }
}
