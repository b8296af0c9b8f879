package dev.keyward.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a ciphertext belongs: realm, scope, subject (user or realm id) and name (provider id or
 * vault entry name), and for a user's credential the upstream it may go to. It is bound into the
 * AES-GCM associated data together with the key id and the envelope version, so a ciphertext copied
 * onto another user, provider, realm, key id or upstream binding fails its tag check instead of
 * decrypting for the wrong owner or place.
 *
 * @param realmId the realm's id
 * @param scope user credential or realm secret
 * @param subject the user id ({@link SecretScope#USER}) or the realm id ({@link SecretScope#REALM})
 * @param name the provider id or the vault entry name
 * @param upstream for a user credential, the provider's origin and credential kind/name it was
 *     stored for; null for realm secrets, for look-ups and deletions, and for rows stored before
 *     bindings existed
 */
public record SecretBinding(String realmId, SecretScope scope, String subject, String name, UpstreamBinding upstream) {
    private static final byte[] DOMAIN = "keyward-vault".getBytes(StandardCharsets.US_ASCII);

    public SecretBinding {
        Objects.requireNonNull(realmId, "realmId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
        if (upstream != null && scope != SecretScope.USER) {
            throw new IllegalArgumentException("only a user credential has an upstream");
        }
    }

    /** A binding without an upstream: a realm secret, a look-up, or a row stored before bindings existed. */
    public SecretBinding(String realmId, SecretScope scope, String subject, String name) {
        this(realmId, scope, subject, name, null);
    }

    /** @return a user's credential for a provider, to look up or delete (not bound to an upstream) */
    public static SecretBinding user(String realmId, String userId, String providerId) {
        return new SecretBinding(realmId, SecretScope.USER, userId, providerId);
    }

    /** @return a user's credential for a provider as its definition stands: to store, or to read for use */
    public static SecretBinding user(String realmId, String userId, ProviderDefinition provider) {
        return new SecretBinding(realmId, SecretScope.USER, userId, provider.id(), UpstreamBinding.of(provider));
    }

    /** @return the binding a stored row was sealed under, from its columns */
    static SecretBinding stored(
            String realmId, String scopeColumn, String subject, String name, String upstreamColumn) {
        SecretScope scope = SecretScope.fromColumn(scopeColumn);
        return new SecretBinding(
                realmId,
                scope,
                subject,
                name,
                scope == SecretScope.USER ? UpstreamBinding.fromColumn(upstreamColumn) : null);
    }

    /** @return a realm's vault entry */
    public static SecretBinding realm(String realmId, String entryName) {
        return new SecretBinding(realmId, SecretScope.REALM, realmId, entryName);
    }

    /**
     * The associated data: a domain label, the version, then each field length-prefixed, so no two
     * different bindings encode to the same bytes (no separator games with names holding NULs). The
     * upstream digest comes last and only when there is one, so rows stored before bindings existed
     * keep the associated data they were sealed with.
     */
    byte[] associatedData(int version, String keyId) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(128);
        out.writeBytes(DOMAIN);
        out.write(0);
        out.write(version);
        for (String field : new String[] {keyId, realmId, scope.column(), subject, name}) {
            byte[] b = field.getBytes(StandardCharsets.UTF_8);
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        if (upstream != null) {
            byte[] b = upstream.bytes();
            out.write(b.length >>> 8);
            out.write(b.length);
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return scope.column() + " " + subject + "/" + name + " in realm " + realmId;
    }
}
