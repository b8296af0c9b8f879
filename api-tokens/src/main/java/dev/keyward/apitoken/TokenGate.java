package dev.keyward.apitoken;

import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;

/**
 * Every check of a presented token's text, wherever it is presented (the exchange, the HTTP Basic
 * check): verified first, so a right token always passes; a wrong one is counted
 * ({@link GuessLimits}) and reported as over the limit once its address, or its claimed id from
 * that address, has too many failures. A right token that is expired or whose owner may no longer
 * use it is not a guess and is not counted.
 */
final class TokenGate {
    /** The outcome: the token, or why not (the refusal, whether a limit is exceeded, the row's id when found). */
    record Outcome(ApiToken token, boolean blocked, ApiTokenStore.Refusal refusal, String id) {
        boolean ok() {
            return token != null;
        }
    }

    private final GuessLimits limits;

    TokenGate(GuessLimits limits) {
        this.limits = limits;
    }

    /** @return the gate of the server's token store (its guess limits are server options) */
    static TokenGate of(KeycloakSession session) {
        return ((JpaApiTokenStoreFactory) session.getKeycloakSessionFactory().getProviderFactory(ApiTokenStore.class))
                .gate();
    }

    Outcome check(KeycloakSession session, RealmModel realm, String presented, String address) {
        ApiTokenStore.Check check = session.getProvider(ApiTokenStore.class).verify(realm, presented);
        if (check.ok()) {
            return new Outcome(check.token(), false, null, check.id());
        }
        if (check.refusal() == ApiTokenStore.Refusal.EXPIRED || check.refusal() == ApiTokenStore.Refusal.OWNER) {
            // the right text: not a guess
            return new Outcome(null, false, check.refusal(), check.id());
        }
        TokenText shape = TokenText.parse(presented);
        boolean over = failed(session, realm, shape == null ? null : shape.id(), address);
        return new Outcome(null, over, check.refusal(), check.id());
    }

    /**
     * Counts a failure (also one the token's text did not show: a wrong user name beside a right token).
     *
     * @return whether a limit is now exceeded
     */
    boolean failed(KeycloakSession session, RealmModel realm, String claimedId, String address) {
        return limits.failed(session.singleUseObjects(), realm.getId(), claimedId, address);
    }

    /** @return how long a blocked caller should wait, at most */
    int retryAfterSeconds() {
        return limits.windowSeconds();
    }
}
