package dev.keyward.vault;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

/**
 * One encrypted secret: a user's credential for a provider, or a realm's vault entry. Table and
 * indexes come from {@code META-INF/keyward-vault-changelog.xml}. There is no foreign key to
 * Keycloak's tables (Keycloak deletes users and realms before it announces it); rows go with their
 * user or realm through {@link VaultCleanup}.
 */
@Entity
@Table(name = "KEYWARD_VAULT_SECRET")
@NamedQueries({
    @NamedQuery(
            name = "keywardVaultSecret.bySubject",
            query = "select e from VaultSecretEntity e"
                    + " where e.realmId = :realmId and e.scope = :scope and e.subject = :subject order by e.name"),
    @NamedQuery(
            name = "keywardVaultSecret.one",
            query = "select e from VaultSecretEntity e where e.realmId = :realmId"
                    + " and e.scope = :scope and e.subject = :subject and e.name = :name"),
    @NamedQuery(
            name = "keywardVaultSecret.namesByScope",
            query = "select e.name from VaultSecretEntity e"
                    + " where e.realmId = :realmId and e.scope = :scope and e.subject = :subject order by e.name"),
    @NamedQuery(
            name = "keywardVaultSecret.deleteBySubject",
            query = "delete from VaultSecretEntity e"
                    + " where e.realmId = :realmId and e.scope = :scope and e.subject = :subject"),
    @NamedQuery(
            name = "keywardVaultSecret.deleteByName",
            query = "delete from VaultSecretEntity e"
                    + " where e.realmId = :realmId and e.scope = :scope and e.name = :name"),
    @NamedQuery(
            name = "keywardVaultSecret.deleteByRealm",
            query = "delete from VaultSecretEntity e" + " where e.realmId = :realmId"),
    @NamedQuery(
            name = "keywardVaultSecret.countByKeyId",
            query = "select e.keyId, count(e) from VaultSecretEntity e" + " group by e.keyId"),
    @NamedQuery(
            name = "keywardVaultSecret.countByKeyIdInRealm",
            query = "select e.keyId, count(e)"
                    + " from VaultSecretEntity e where e.realmId = :realmId group by e.keyId"),
    @NamedQuery(
            name = "keywardVaultSecret.stale",
            query = "select e.id, e.realmId, e.scope, e.subject, e.name,"
                    + " e.envelope, e.version, e.upstreamBinding from VaultSecretEntity e where e.keyId <> :activeKeyId"
                    + " and e.id > :after order by e.id"),
    @NamedQuery(
            name = "keywardVaultSecret.countBound",
            query =
                    "select count(e) from VaultSecretEntity e"
                            + " where e.realmId = :realmId and e.scope = :scope and e.name = :name and e.upstreamBinding = :upstreamBinding"),
    @NamedQuery(
            name = "keywardVaultSecret.legacy",
            query = "select e.id, e.realmId, e.subject, e.name, e.envelope,"
                    + " e.version from VaultSecretEntity e where e.scope = :scope and e.upstreamBinding = :legacy and e.id > :after"
                    + " order by e.id"),
    @NamedQuery(
            name = "keywardVaultSecret.bind",
            query = "update VaultSecretEntity e set e.envelope = :envelope,"
                    + " e.keyId = :keyId, e.encryptedAt = :now, e.upstreamBinding = :upstreamBinding, e.version = e.version + 1"
                    + " where e.id = :id and e.version = :version"),
    @NamedQuery(
            name = "keywardVaultSecret.unbind",
            query = "update VaultSecretEntity e set e.upstreamBinding = null,"
                    + " e.version = e.version + 1 where e.id = :id and e.version = :version"),
    @NamedQuery(
            name = "keywardVaultSecret.reencrypt",
            query =
                    "update VaultSecretEntity e set e.envelope = :envelope,"
                            + " e.keyId = :keyId, e.encryptedAt = :now, e.version = e.version + 1 where e.id = :id and e.version = :version")
})
public class VaultSecretEntity {
    @Id
    @Column(name = "ID", length = 36)
    private String id;

    @Column(name = "REALM_ID", length = 36, nullable = false)
    private String realmId;

    @Column(name = "SCOPE", length = 8, nullable = false)
    private String scope;

    @Column(name = "SUBJECT", length = 36, nullable = false)
    private String subject;

    @Column(name = "NAME", length = 255, nullable = false)
    private String name;

    @Column(name = "KEY_ID", length = 32, nullable = false)
    private String keyId;

    // plain byte column (bytea / varbinary), not @Lob: see the changelog
    @Column(name = "ENVELOPE", nullable = false)
    private byte[] envelope;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "UPDATED_AT", nullable = false)
    private long updatedAt;

    @Column(name = "ENCRYPTED_AT", nullable = false)
    private long encryptedAt;

    // hex SHA-256 of the upstream a user credential may go to (UpstreamBinding); NULL for realm secrets
    @Column(name = "UPSTREAM_BINDING", length = 64)
    private String upstreamBinding;

    // a user's write and a rotation batch racing on one row: the later one sees the change and yields
    @Version
    @Column(name = "VERSION", nullable = false)
    private int version;

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getRealmId() {
        return realmId;
    }

    public void setRealmId(String realmId) {
        this.realmId = realmId;
    }

    public String getScope() {
        return scope;
    }

    public void setScope(String scope) {
        this.scope = scope;
    }

    public String getSubject() {
        return subject;
    }

    public void setSubject(String subject) {
        this.subject = subject;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public byte[] getEnvelope() {
        return envelope;
    }

    public void setEnvelope(byte[] envelope) {
        this.envelope = envelope;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(long updatedAt) {
        this.updatedAt = updatedAt;
    }

    public long getEncryptedAt() {
        return encryptedAt;
    }

    public void setEncryptedAt(long encryptedAt) {
        this.encryptedAt = encryptedAt;
    }

    public String getUpstreamBinding() {
        return upstreamBinding;
    }

    public void setUpstreamBinding(String upstreamBinding) {
        this.upstreamBinding = upstreamBinding;
    }

    public int getVersion() {
        return version;
    }

    public void setVersion(int version) {
        this.version = version;
    }

    SecretBinding binding() {
        return SecretBinding.stored(realmId, scope, subject, name, upstreamBinding);
    }
}
