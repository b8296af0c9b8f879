package dev.keyward.mfa;

import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.WebAuthnPasswordlessCredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/**
 * Replaces Keycloak's {@code keycloak-webauthn-passwordless} credential provider (same id: Keycloak
 * prefers an installed provider over its own) with {@link GuardedPasskeyCredentialProvider}.
 */
public class GuardedPasskeyCredentialProviderFactory extends WebAuthnPasswordlessCredentialProviderFactory {
    @Override
    public CredentialProvider create(KeycloakSession session) {
        return new GuardedPasskeyCredentialProvider(session, getMetadataService(), createOrGetObjectConverter());
    }
}
