package dev.keyward.vault;

import jakarta.persistence.EntityManager;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jboss.logging.Logger;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.utils.KeycloakModelUtils;

/** The store on Keycloak's database, through its JPA entity manager (and so its transaction). */
public class JpaCredentialVaultProvider implements CredentialVaultProvider {
    private static final Logger LOG = Logger.getLogger(JpaCredentialVaultProvider.class);

    private final KeycloakSession session;
    private final SecretEnvelope envelope;

    JpaCredentialVaultProvider(KeycloakSession session, SecretEnvelope envelope) {
        this.session = session;
        this.envelope = envelope;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    @Override
    public List<SecretMetadata> list(String realmId, SecretScope scope, String subject) {
        return em().createNamedQuery("keywardVaultSecret.bySubject", VaultSecretEntity.class)
                .setParameter("realmId", realmId)
                .setParameter("scope", scope.column())
                .setParameter("subject", subject)
                .getResultStream()
                .map(SecretMetadata::of)
                .toList();
    }

    private Optional<VaultSecretEntity> entity(SecretBinding b) {
        return em().createNamedQuery("keywardVaultSecret.one", VaultSecretEntity.class)
                .setParameter("realmId", b.realmId())
                .setParameter("scope", b.scope().column())
                .setParameter("subject", b.subject())
                .setParameter("name", b.name())
                .getResultStream()
                .findFirst();
    }

    @Override
    public boolean put(SecretBinding binding, byte[] plaintext) {
        if (binding.scope() == SecretScope.USER && binding.upstream() == null) {
            throw new IllegalArgumentException("a user credential is stored bound to its provider's upstream");
        }
        byte[] sealed = envelope.seal(binding, plaintext);
        long now = Time.currentTimeMillis();
        Optional<VaultSecretEntity> existing = entity(binding);
        VaultSecretEntity e = existing.orElseGet(VaultSecretEntity::new);
        if (existing.isEmpty()) {
            e.setId(KeycloakModelUtils.generateId());
            e.setRealmId(binding.realmId());
            e.setScope(binding.scope().column());
            e.setSubject(binding.subject());
            e.setName(binding.name());
            e.setCreatedAt(now);
        }
        e.setKeyId(envelope.keyring().activeId());
        e.setEnvelope(sealed);
        e.setUpstreamBinding(
                binding.upstream() == null ? null : binding.upstream().column());
        e.setUpdatedAt(now);
        e.setEncryptedAt(now);
        if (existing.isEmpty()) {
            em().persist(e);
        }
        // flush now: a duplicate (two first writes racing) fails here, inside the request, as a 409
        em().flush();
        return existing.isEmpty();
    }

    @Override
    public Optional<byte[]> read(SecretBinding binding)
            throws UndecryptableSecretException, StrandedCredentialException {
        if (binding.scope() == SecretScope.USER && binding.upstream() == null) {
            throw new IllegalArgumentException("a user credential is read for its provider's current definition");
        }
        Optional<VaultSecretEntity> e = entity(binding);
        if (e.isEmpty()) {
            return Optional.empty();
        }
        // checked before anything is decrypted: a credential goes only where its owner stored it for
        if (binding.upstream() != null
                && !binding.upstream()
                        .matches(UpstreamBinding.fromColumn(e.get().getUpstreamBinding()))) {
            LOG.infof(
                    "Keyward vault: row %s (%s) was stored for another upstream origin or credential kind/name of"
                            + " its provider than the definition now names; refused until its owner stores it again",
                    e.get().getId(), binding);
            throw new StrandedCredentialException(
                    "the credential for provider " + binding.name() + " was stored for an earlier definition of it");
        }
        try {
            return Optional.of(envelope.open(binding, e.get().getEnvelope()));
        } catch (UndecryptableSecretException ex) {
            // reported, never ignored: a moved or altered row is an incident an operator must see
            LOG.warnf(
                    "Keyward vault: row %s (%s) cannot be decrypted: %s",
                    e.get().getId(), binding, ex.getMessage());
            throw ex;
        }
    }

    @Override
    public Optional<SecretMetadata> find(SecretBinding binding) {
        return entity(binding).map(SecretMetadata::of);
    }

    @Override
    public boolean delete(SecretBinding binding) {
        Optional<VaultSecretEntity> e = entity(binding);
        e.ifPresent(em()::remove);
        return e.isPresent();
    }

    @Override
    public int deleteAllNamed(String realmId, SecretScope scope, String name) {
        return em().createNamedQuery("keywardVaultSecret.deleteByName")
                .setParameter("realmId", realmId)
                .setParameter("scope", scope.column())
                .setParameter("name", name)
                .executeUpdate();
    }

    @Override
    public long countBoundTo(String realmId, String providerId, UpstreamBinding upstream) {
        return em().createNamedQuery("keywardVaultSecret.countBound", Long.class)
                .setParameter("realmId", realmId)
                .setParameter("scope", SecretScope.USER.column())
                .setParameter("name", providerId)
                .setParameter("upstreamBinding", upstream.column())
                .getSingleResult();
    }

    @Override
    public Map<String, Long> rowsByKeyId(String realmId) {
        List<Object[]> rows = realmId == null
                ? em().createNamedQuery("keywardVaultSecret.countByKeyId", Object[].class)
                        .getResultList()
                : em().createNamedQuery("keywardVaultSecret.countByKeyIdInRealm", Object[].class)
                        .setParameter("realmId", realmId)
                        .getResultList();
        Map<String, Long> counts = new LinkedHashMap<>();
        rows.stream()
                .sorted((a, b) -> ((String) a[0]).compareTo((String) b[0]))
                .forEach(r -> counts.put((String) r[0], ((Number) r[1]).longValue()));
        return counts;
    }

    @Override
    public List<Undecryptable> verify(String realmId) {
        List<Undecryptable> failed = new java.util.ArrayList<>();
        em().createQuery(
                        "select e from VaultSecretEntity e where e.realmId = :realmId order by e.id",
                        VaultSecretEntity.class)
                .setParameter("realmId", realmId)
                .getResultStream()
                .forEach(e -> {
                    SecretBinding binding = e.binding();
                    try {
                        java.util.Arrays.fill(envelope.open(binding, e.getEnvelope()), (byte) 0);
                    } catch (UndecryptableSecretException ex) {
                        LOG.warnf(
                                "Keyward vault: row %s (%s) cannot be decrypted: %s",
                                e.getId(), binding, ex.getMessage());
                        failed.add(new Undecryptable(
                                e.getId(), binding.scope(), e.getSubject(), e.getName(), e.getKeyId(), ex.reason()));
                    }
                    em().detach(e);
                });
        return failed;
    }

    @Override
    public VaultKeyring keyring() {
        return envelope.keyring();
    }

    @Override
    public void close() {}
}
