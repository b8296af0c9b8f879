package dev.keyward.vault;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Where a ciphertext belongs: realm, scope, subject (user or realm id) and name (provider id or
 * vault entry name). It is bound into the AES-GCM associated data together with the key id and the
 * envelope version, so a ciphertext copied onto another user, provider, realm or key id fails its
 * tag check instead of decrypting for the wrong owner.
 *
 * @param realmId the realm's id
 * @param scope user credential or realm secret
 * @param subject the user id ({@link SecretScope#USER}) or the realm id ({@link SecretScope#REALM})
 * @param name the provider id or the vault entry name
 */
public record SecretBinding(String realmId, SecretScope scope, String subject, String name) {
    private static final byte[] DOMAIN = "keyward-vault".getBytes(StandardCharsets.US_ASCII);

    public SecretBinding {
        Objects.requireNonNull(realmId, "realmId");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(subject, "subject");
        Objects.requireNonNull(name, "name");
    }

    /** @return a user's credential for a provider */
    public static SecretBinding user(String realmId, String userId, String providerId) {
        return new SecretBinding(realmId, SecretScope.USER, userId, providerId);
    }

    /** @return a realm's vault entry */
    public static SecretBinding realm(String realmId, String entryName) {
        return new SecretBinding(realmId, SecretScope.REALM, realmId, entryName);
    }

    /**
     * The associated data: a domain label, the version, then each field length-prefixed, so no two
     * different bindings encode to the same bytes (no separator games with names holding NULs).
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
        return out.toByteArray();
    }

    @Override
    public String toString() {
        return scope.column() + " " + subject + "/" + name + " in realm " + realmId;
    }
}
