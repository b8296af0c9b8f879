package dev.keyward.vault;

/**
 * What may be shown about a stored secret: never the secret.
 *
 * @param name provider id or vault entry name
 * @param createdAt first write, epoch milliseconds
 * @param updatedAt last write by its owner, epoch milliseconds
 * @param keyId the key it is encrypted under
 * @param encryptedAt when it was last encrypted (a write or a rotation), epoch milliseconds
 */
public record SecretMetadata(String name, long createdAt, long updatedAt, String keyId, long encryptedAt) {
    static SecretMetadata of(VaultSecretEntity e) {
        return new SecretMetadata(e.getName(), e.getCreatedAt(), e.getUpdatedAt(), e.getKeyId(), e.getEncryptedAt());
    }
}
