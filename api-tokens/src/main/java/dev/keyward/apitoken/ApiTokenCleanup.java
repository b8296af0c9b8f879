package dev.keyward.apitoken;

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
 * A user's tokens go in the transaction that deletes the user, a realm's in the one that deletes
 * the realm. After start-up, refuses to run when tokens are hashed under a key id the keyring no
 * longer holds: those tokens would stop working without a word.
 */
final class ApiTokenCleanup implements ProviderEventListener {
    private static final Logger LOG = Logger.getLogger(ApiTokenCleanup.class);

    private final TokenHashKeys keys;

    ApiTokenCleanup(TokenHashKeys keys) {
        this.keys = keys;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof UserModel.UserRemovedEvent removed) {
            em(removed.getKeycloakSession())
                    .createNamedQuery("keywardApiToken.deleteByUser")
                    .setParameter("realmId", removed.getRealm().getId())
                    .setParameter("userId", removed.getUser().getId())
                    .executeUpdate();
        } else if (event instanceof RealmModel.RealmRemovedEvent removed) {
            int n = em(removed.getKeycloakSession())
                    .createNamedQuery("keywardApiToken.deleteByRealm")
                    .setParameter("realmId", removed.getRealm().getId())
                    .executeUpdate();
            if (n > 0) {
                LOG.infof(
                        "Keyward API tokens: deleted %d token(s) of removed realm %s",
                        n, removed.getRealm().getName());
            }
        } else if (event instanceof PostMigrationEvent migrated) {
            refuseTokensUnderMissingKeys(migrated.getFactory());
        }
    }

    private void refuseTokensUnderMissingKeys(KeycloakSessionFactory factory) {
        Map<String, Long> counts = KeycloakModelUtils.runJobInTransactionWithResult(
                factory, session -> session.getProvider(ApiTokenStore.class).rowsByKeyId());
        Map<String, Long> missing = counts.entrySet().stream()
                .filter(e -> !keys.has(e.getKey()))
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
        if (!missing.isEmpty()) {
            throw new IllegalStateException("Keyward API tokens: " + missing + " token(s) are hashed under key id(s)"
                    + " that are not in " + JpaApiTokenStoreFactory.OPTIONS + " " + keys.ids()
                    + ". Put those keys back, or delete those tokens, before removing a key.");
        }
    }

    private static EntityManager em(KeycloakSession session) {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }
}
