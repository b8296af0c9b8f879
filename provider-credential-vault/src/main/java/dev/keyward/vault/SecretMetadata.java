package dev.keyward.vault;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * What may be shown about a stored secret: never the secret.
 *
 * @param name provider id or vault entry name
 * @param createdAt first write, epoch milliseconds
 * @param updatedAt last write by its owner, epoch milliseconds
 * @param keyId the key it is encrypted under
 * @param encryptedAt when it was last encrypted (a write or a rotation), epoch milliseconds
 * @param upstream a user credential's upstream binding (null for realm secrets and unbound rows);
 *     not shown as such, only as whether the provider's definition still fits it
 */
public record SecretMetadata(
        String name,
        long createdAt,
        long updatedAt,
        String keyId,
        long encryptedAt,
        @JsonIgnore UpstreamBinding upstream) {
    static SecretMetadata of(VaultSecretEntity e) {
        return new SecretMetadata(
                e.getName(),
                e.getCreatedAt(),
                e.getUpdatedAt(),
                e.getKeyId(),
                e.getEncryptedAt(),
                e.binding().upstream());
    }

    /** @return whether a user credential can be used under this definition of its provider */
    public boolean usableUnder(ProviderDefinition definition) {
        return definition != null && UpstreamBinding.of(definition).matches(upstream);
    }
}
