package dev.keyward.vault;

import jakarta.persistence.EntityManager;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.utils.KeycloakModelUtils;
import org.keycloak.models.utils.PostMigrationEvent;
import org.keycloak.provider.ProviderEvent;
import org.keycloak.provider.ProviderEventListener;

/**
 * Binds the user credentials stored before upstream bindings existed (marked {@code legacy} by the
 * changelog) to their provider's definition as it stands at the first start of this version, before
 * the server takes requests. From then on such a row is like any other: a definition change made
 * after the upgrade strands it.
 *
 * <p>Why at the upgrade and not at a row's first use or next rotation: either of those would bind
 * a row to whatever the definition says by then, so a realm admin who changed the definition in
 * between would still redirect it. A row whose provider has no definition at the upgrade, or that
 * does not decrypt, gets no binding (NULL): it can never be used, and its owner stores it again.
 * The marker only comes from the changelog, so a definition created later never binds old rows.
 *
 * <p>Each batch is its own transaction, and each row is written only if its version is unchanged,
 * so nodes starting together do each row once. A row under a key the ring lacks is left marked (the
 * start is refused for it anyway, see {@link VaultCleanup}).
 */
final class LegacyBindingUpgrade implements ProviderEventListener {
    private static final Logger LOG = Logger.getLogger(LegacyBindingUpgrade.class);

    private final SecretEnvelope envelope;
    private final int batchSize;

    LegacyBindingUpgrade(SecretEnvelope envelope, int batchSize) {
        this.envelope = envelope;
        this.batchSize = batchSize;
    }

    @Override
    public void onEvent(ProviderEvent event) {
        if (event instanceof PostMigrationEvent migrated) {
            run(migrated.getFactory());
        }
    }

    /** Counts of one run. */
    private static final class Tally {
        long bound;
        long withoutDefinition;
        long undecryptable;
        long keyMissing;
        long changedMeanwhile;

        long total() {
            return bound + withoutDefinition + undecryptable + keyMissing + changedMeanwhile;
        }
    }

    void run(KeycloakSessionFactory factory) {
        Tally tally = new Tally();
        String cursor = "";
        while (true) {
            String after = cursor;
            String last = KeycloakModelUtils.runJobInTransactionWithResult(factory, s -> batch(s, after, tally));
            if (last == null) {
                break;
            }
            cursor = last;
        }
        if (tally.total() > 0) {
            LOG.infof(
                    "Keyward vault: %d credential(s) stored before upstream bindings are now bound to their provider's"
                            + " current definition; %d without a provider definition and %d undecryptable stay unusable until"
                            + " stored again; %d under a missing key and %d changed meanwhile were left as they were",
                    tally.bound,
                    tally.withoutDefinition,
                    tally.undecryptable,
                    tally.keyMissing,
                    tally.changedMeanwhile);
        }
    }

    /** @return the last row id of this batch, or null when there was none */
    private String batch(KeycloakSession session, String after, Tally tally) {
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        List<Object[]> rows = em.createNamedQuery("keywardVaultSecret.legacy", Object[].class)
                .setParameter("scope", SecretScope.USER.column())
                .setParameter("legacy", UpstreamBinding.LEGACY)
                .setParameter("after", after)
                .setMaxResults(batchSize)
                .getResultList();
        Map<String, Optional<ProviderDefinition>> definitions = new HashMap<>();
        long now = Time.currentTimeMillis();
        for (Object[] row : rows) {
            String id = (String) row[0];
            String realmId = (String) row[1];
            String subject = (String) row[2];
            String providerId = (String) row[3];
            SecretBinding legacy = SecretBinding.user(realmId, subject, providerId);
            Optional<ProviderDefinition> definition = definitions.computeIfAbsent(realmId + "/" + providerId, k -> {
                RealmModel realm = session.realms().getRealm(realmId);
                return realm == null ? Optional.empty() : ProviderDefinitions.get(session, realm, providerId);
            });
            if (definition.isEmpty()) {
                tally.withoutDefinition += unbind(em, id, row[5], tally);
                continue;
            }
            byte[] plaintext = null;
            try {
                plaintext = envelope.open(legacy, (byte[]) row[4]);
                SecretBinding bound = SecretBinding.user(realmId, subject, definition.get());
                int updated = em.createNamedQuery("keywardVaultSecret.bind")
                        .setParameter("envelope", envelope.seal(bound, plaintext))
                        .setParameter("keyId", envelope.keyring().activeId())
                        .setParameter("now", now)
                        .setParameter("upstreamBinding", bound.upstream().column())
                        .setParameter("id", id)
                        .setParameter("version", row[5])
                        .executeUpdate();
                if (updated == 1) {
                    tally.bound++;
                } else {
                    tally.changedMeanwhile++;
                }
            } catch (UndecryptableSecretException e) {
                if (e.reason() == UndecryptableSecretException.Reason.UNKNOWN_KEY) {
                    tally.keyMissing++;
                } else {
                    LOG.warnf(
                            "Keyward vault: row %s (%s) cannot be decrypted, so it is not bound: %s",
                            id, legacy, e.getMessage());
                    tally.undecryptable += unbind(em, id, row[5], tally);
                }
            } finally {
                if (plaintext != null) {
                    Arrays.fill(plaintext, (byte) 0);
                }
            }
        }
        return rows.isEmpty() ? null : (String) rows.get(rows.size() - 1)[0];
    }

    /** Marks a row as bound to nothing; @return 1 if it was, 0 if its owner changed it meanwhile (counted as such). */
    private static int unbind(EntityManager em, String id, Object version, Tally tally) {
        int updated = em.createNamedQuery("keywardVaultSecret.unbind")
                .setParameter("id", id)
                .setParameter("version", version)
                .executeUpdate();
        if (updated == 0) {
            tally.changedMeanwhile++;
        }
        return updated;
    }
}
