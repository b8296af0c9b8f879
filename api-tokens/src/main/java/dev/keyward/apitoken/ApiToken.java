package dev.keyward.apitoken;

import java.util.List;

/**
 * What is known about one API token, never its text or hash.
 *
 * @param id the public lookup id (part of the token's text)
 * @param userId its owner
 * @param name the owner's label
 * @param scopes the client scopes an exchange asks for
 * @param factors how many factors the sign-in that created it had (1 or 2)
 * @param createdAt epoch milliseconds
 * @param expiresAt epoch milliseconds
 * @param lastUsedAt epoch milliseconds of the last exchange, or null
 * @param lastUsedFrom the client address of the last exchange, or null
 */
public record ApiToken(
        String id,
        String userId,
        String name,
        List<String> scopes,
        int factors,
        long createdAt,
        long expiresAt,
        Long lastUsedAt,
        String lastUsedFrom) {

    static ApiToken of(ApiTokenEntity e) {
        return new ApiToken(
                e.getId(),
                e.getUserId(),
                e.getName(),
                e.getScopes().isEmpty() ? List.of() : List.of(e.getScopes().split(" ")),
                e.getFactors(),
                e.getCreatedAt(),
                e.getExpiresAt(),
                e.getLastUsedAt(),
                e.getLastUsedFrom());
    }

    /** @return the prefix a user recognises the token by ({@code kwt_} and the lookup id) */
    public String prefix() {
        return TokenText.PREFIX + id;
    }
}
