package dev.keyward.apitoken;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQueries;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;

/**
 * One personal API token: who owns it, what it may do, until when, and a keyed hash of its text
 * (never the text). Table and indexes come from {@code META-INF/keyward-api-tokens-changelog.xml}.
 * No foreign key to Keycloak's tables: rows go with their user or realm through
 * {@link ApiTokenCleanup}.
 */
@Entity
@Table(name = "KEYWARD_API_TOKEN")
@NamedQueries({
    @NamedQuery(
            name = "keywardApiToken.byUser",
            query = "select e from ApiTokenEntity e where e.realmId = :realmId and e.userId = :userId"
                    + " order by e.createdAt, e.id"),
    @NamedQuery(
            name = "keywardApiToken.countByUser",
            query = "select count(e) from ApiTokenEntity e where e.realmId = :realmId and e.userId = :userId"),
    @NamedQuery(
            name = "keywardApiToken.deleteByUser",
            query = "delete from ApiTokenEntity e where e.realmId = :realmId and e.userId = :userId"),
    @NamedQuery(
            name = "keywardApiToken.deleteSingleFactor",
            query = "delete from ApiTokenEntity e where e.realmId = :realmId and e.userId = :userId"
                    + " and e.factors < 2"),
    @NamedQuery(
            name = "keywardApiToken.deleteExpiredOfUser",
            query = "delete from ApiTokenEntity e where e.realmId = :realmId and e.userId = :userId"
                    + " and e.expiresAt <= :now"),
    @NamedQuery(
            name = "keywardApiToken.deleteByRealm",
            query = "delete from ApiTokenEntity e where e.realmId = :realmId"),
    @NamedQuery(
            name = "keywardApiToken.countByKeyId",
            query = "select e.keyId, count(e) from ApiTokenEntity e group by e.keyId"),
    @NamedQuery(
            name = "keywardApiToken.touch",
            query = "update ApiTokenEntity e set e.lastUsedAt = :now, e.lastUsedFrom = :from where e.id = :id"
                    + " and (e.lastUsedAt is null or e.lastUsedAt < :before or e.lastUsedFrom is null"
                    + " or e.lastUsedFrom <> :from)")
})
public class ApiTokenEntity {
    @Id
    @Column(name = "ID", length = 16)
    private String id;

    @Column(name = "REALM_ID", nullable = false, length = 36)
    private String realmId;

    @Column(name = "USER_ID", nullable = false, length = 36)
    private String userId;

    @Column(name = "NAME", nullable = false, length = 64)
    private String name;

    @Column(name = "SCOPES", nullable = false, length = 1024)
    private String scopes;

    @Column(name = "KEY_ID", nullable = false, length = 32)
    private String keyId;

    @Column(name = "HASH", nullable = false, length = 64)
    private String hash;

    @Column(name = "FACTORS", nullable = false)
    private int factors;

    @Column(name = "CREATED_AT", nullable = false)
    private long createdAt;

    @Column(name = "EXPIRES_AT", nullable = false)
    private long expiresAt;

    @Column(name = "LAST_USED_AT")
    private Long lastUsedAt;

    @Column(name = "LAST_USED_FROM", length = 64)
    private String lastUsedFrom;

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

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getScopes() {
        return scopes;
    }

    public void setScopes(String scopes) {
        this.scopes = scopes;
    }

    public String getKeyId() {
        return keyId;
    }

    public void setKeyId(String keyId) {
        this.keyId = keyId;
    }

    public String getHash() {
        return hash;
    }

    public void setHash(String hash) {
        this.hash = hash;
    }

    public int getFactors() {
        return factors;
    }

    public void setFactors(int factors) {
        this.factors = factors;
    }

    public long getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(long createdAt) {
        this.createdAt = createdAt;
    }

    public long getExpiresAt() {
        return expiresAt;
    }

    public void setExpiresAt(long expiresAt) {
        this.expiresAt = expiresAt;
    }

    public Long getLastUsedAt() {
        return lastUsedAt;
    }

    public void setLastUsedAt(Long lastUsedAt) {
        this.lastUsedAt = lastUsedAt;
    }

    public String getLastUsedFrom() {
        return lastUsedFrom;
    }

    public void setLastUsedFrom(String lastUsedFrom) {
        this.lastUsedFrom = lastUsedFrom;
    }
}
