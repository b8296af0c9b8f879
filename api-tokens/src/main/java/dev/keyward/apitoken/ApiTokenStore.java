package dev.keyward.apitoken;

import java.util.List;
import java.util.Map;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.provider.Provider;

/** The personal API tokens of a realm's users ({@code session.getProvider(ApiTokenStore.class)}). */
public interface ApiTokenStore extends Provider {

    /** A new token: its record and its text, which exists only in this answer. */
    record Created(ApiToken token, String text) {
        @Override
        public String toString() {
            return "Created[" + token.prefix() + "]";
        }
    }

    /** Why a presented token was not accepted; the caller answers all of them alike. */
    enum Refusal {
        /** not a token's shape */
        MALFORMED,
        /** no row with its lookup id */
        UNKNOWN,
        /** the row's hash does not match */
        WRONG,
        /** past its expiry */
        EXPIRED,
        /** its owner is gone, disabled, or turned two-factor on after a one-factor creation */
        OWNER
    }

    /** The outcome of a check: the token, or why not (the token's id when the row was found). */
    record Check(ApiToken token, Refusal refusal, String id) {
        boolean ok() {
            return refusal == null;
        }
    }

    /**
     * @throws TooManyTokensException when the user already has the realm's maximum
     */
    Created create(RealmModel realm, UserModel user, String name, List<String> scopes, long expiresAt, int factors)
            throws TooManyTokensException;

    /** @return the user's tokens, oldest first (expired and retired ones are removed first) */
    List<ApiToken> list(RealmModel realm, UserModel user);

    /** @return the token, or null (no live check) */
    ApiToken find(RealmModel realm, String id);

    /** @return whether a token of this user with this id was deleted */
    boolean revoke(RealmModel realm, String userId, String id);

    /**
     * Checks a presented token's text: its row, a constant-time comparison of its keyed hash (one
     * hash is computed for every presented value of a token's shape, found or not), its expiry and
     * its owner ({@link #live}).
     */
    Check verify(RealmModel realm, String presented);

    /**
     * Whether a stored token may still be used: unexpired, its owner exists and is enabled, and it
     * was created with two factors if the owner has two-factor sign-in on. A token that fails the
     * last rule is deleted here.
     */
    Refusal live(RealmModel realm, ApiToken token);

    /** Records a use (at most one write a minute per token and address). */
    void touch(String id, String clientAddress, long now);

    /** @return rows per hash key id, in all realms */
    Map<String, Long> rowsByKeyId();
}
