package dev.keyward.vault;

import java.nio.ByteBuffer;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.vault.DefaultVaultRawSecret;
import org.keycloak.vault.VaultProvider;
import org.keycloak.vault.VaultRawSecret;

/**
 * Keycloak's Vault SPI over the credential vault: {@code ${vault.NAME}} in a realm's configuration
 * (SMTP password, identity provider and client secrets, LDAP bind credential) resolves to the
 * realm secret {@code NAME} of the realm the request is for. Only that realm's entries are
 * reachable; a missing or undecryptable entry resolves to nothing, as Keycloak's own vaults do.
 */
public class RealmSecretVaultProvider implements VaultProvider {
    private static final Logger LOG = Logger.getLogger(RealmSecretVaultProvider.class);

    private final KeycloakSession session;

    RealmSecretVaultProvider(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public VaultRawSecret obtainSecret(String name) {
        RealmModel realm = session.getContext().getRealm();
        if (realm == null
                || name == null
                || !VaultAdminResource.SECRET_NAME.matcher(name).matches()) {
            return DefaultVaultRawSecret.forBuffer(Optional.empty());
        }
        try {
            Optional<byte[]> value =
                    session.getProvider(CredentialVaultProvider.class).read(SecretBinding.realm(realm.getId(), name));
            if (value.isEmpty()) {
                LOG.debugf("Keyward vault: realm %s has no secret '%s'", realm.getName(), name);
            }
            return DefaultVaultRawSecret.forBuffer(value.map(ByteBuffer::wrap));
        } catch (UndecryptableSecretException | StrandedCredentialException e) {
            // already logged with the row named by the store (a realm secret is never bound to an upstream)
            return DefaultVaultRawSecret.forBuffer(Optional.empty());
        }
    }

    @Override
    public void close() {}
}
