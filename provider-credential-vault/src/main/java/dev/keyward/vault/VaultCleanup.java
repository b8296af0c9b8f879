package dev.keyward.vault;

import jakarta.persistence.EntityManager;
import java.util.Map;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Keeps the table consistent with Keycloak: a user's rows go in the transaction that deletes the
 * user, a realm's rows in the one that deletes the realm (Keycloak publishes both events inside
 * it). After start-up migration, refuses to run when rows are encrypted under a key id the
 * keyring no longer holds: those credentials would be lost silently.
 */
final class VaultCleanup implements ProviderEventListener {
    private static final Logger LOG = Logger.getLogger(VaultCleanup.class);

    private final VaultKeyring keyring;

    VaultCleanup(VaultKeyring keyring) {
        this.keyring = keyring;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof UserModel.UserRemovedEvent removed) {
            int n = em(removed.getKeycloakSession())
                    .createNamedQuery("keywardVaultSecret.deleteBySubject")
                    .setParameter("realmId", removed.getRealm().getId())
                    .setParameter("scope", SecretScope.USER.column())
                    .setParameter("subject", removed.getUser().getId())
                    .executeUpdate();
            if (n > 0) {
                LOG.debugf(
                        "Keyward vault: deleted %d credential(s) of removed user %s",
                        n, removed.getUser().getId());
            }
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            int n = em(removed.getKeycloakSession())
                    .createNamedQuery("keywardVaultSecret.deleteByRealm")
                    .setParameter("realmId", removed.getRealm().getId())
                    .executeUpdate();
            if (n > 0) {
                LOG.infof(
                        "Keyward vault: deleted %d secret(s) of removed realm %s",
                        n, removed.getRealm().getName());
            }
        } else if (event instanceof PostMigrationEvent migrated) {
            refuseRowsUnderMissingKeys(migrated.getFactory());
        }
    }

    private void refuseRowsUnderMissingKeys(KeycloakSessionFactory factory) {
        Map<String, Long> counts = KeycloakModelUtils.runJobInTransactionWithResult(
                factory,
                session -> session.getProvider(CredentialVaultProvider.class).rowsByKeyId(null));
        Map<String, Long> missing = counts.entrySet().stream()
                .filter(e -> !keyring.ids().contains(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Keyward vault: " + missing + " row(s) are encrypted under key id(s) that"
                    + " are not in the keyring " + keyring.ids() + ". Put those keys back into "
                    + KeyringLoader.OPTIONS + ", run the key rotation, and remove a key only once its count is 0"
                    + " (SECURITY.md, \"Vault keys (online)\").");
        }
        LOG.infof(
                "Keyward vault: keyring %s, active key '%s', rows per key id %s",
                keyring.ids(), keyring.activeId(), counts);
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
