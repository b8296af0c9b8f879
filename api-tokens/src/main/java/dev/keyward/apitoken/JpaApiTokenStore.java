package dev.keyward.apitoken;

import dev.keyward.common.KeywardIds;
import jakarta.persistence.EntityManager;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** {@link ApiTokenStore} on Keycloak's JPA connection: the rows join the request's transaction. */
final class JpaApiTokenStore implements ApiTokenStore {
    /** Compared against when no row matches, so a miss computes the same hash as a hit. */
    private static final String NO_HASH = "0".repeat(43);

    private final KeycloakSession session;
    private final TokenHashKeys keys;

    JpaApiTokenStore(KeycloakSession session, TokenHashKeys keys) {
        this.session = session;
        this.keys = keys;
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    @Override
    public Created create(
            RealmModel realm, UserModel user, String name, List<String> scopes, long expiresAt, int factors)
            throws TooManyTokensException {
        removeExpired(realm, user.getId());
        int max = ApiTokenSettings.of(realm).maxPerUser();
        long held = em().createNamedQuery("keywardApiToken.countByUser", Long.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", user.getId())
                .getSingleResult();
        if (held >= max) {
            throw new TooManyTokensException(max);
        }
        TokenText text = TokenText.generate();
        ApiTokenEntity e = new ApiTokenEntity();
        e.setId(text.id());
        e.setRealmId(realm.getId());
        e.setUserId(user.getId());
        e.setName(name);
        e.setScopes(String.join(" ", scopes));
        e.setKeyId(keys.activeId());
        e.setHash(keys.hash(keys.activeId(), text));
        e.setFactors(factors);
        e.setCreatedAt(System.currentTimeMillis());
        e.setExpiresAt(expiresAt);
        em().persist(e);
        em().flush();
        return new Created(ApiToken.of(e), text.text());
    }

    @Override
    public List<ApiToken> list(RealmModel realm, UserModel user) {
        removeExpired(realm, user.getId());
        if (twoFactorOn(user)) {
            em().createNamedQuery("keywardApiToken.deleteSingleFactor")
                    .setParameter("realmId", realm.getId())
                    .setParameter("userId", user.getId())
                    .executeUpdate();
        }
        return em().createNamedQuery("keywardApiToken.byUser", ApiTokenEntity.class)
                .setParameter("realmId", realm.getId())
                .setParameter("userId", user.getId())
                .getResultStream()
                .map(ApiToken::of)
                .toList();
    }

    private void removeExpired(RealmModel realm, String userId) {
        em().createNamedQuery("keywardApiToken.deleteExpiredOfUser")
                .setParameter("realmId", realm.getId())
                .setParameter("userId", userId)
                .setParameter("now", System.currentTimeMillis())
                .executeUpdate();
    }

    @Override
    public ApiToken find(RealmModel realm, String id) {
        ApiTokenEntity e = row(realm, id);
        return e == null ? null : ApiToken.of(e);
    }

    private ApiTokenEntity row(RealmModel realm, String id) {
        if (id == null || id.length() != TokenText.ID_CHARS) {
            return null;
        }
        ApiTokenEntity e = em().find(ApiTokenEntity.class, id);
        return e != null && e.getRealmId().equals(realm.getId()) ? e : null;
    }

    @Override
    public boolean revoke(RealmModel realm, String userId, String id) {
        ApiTokenEntity e = row(realm, id);
        if (e == null || !e.getUserId().equals(userId)) {
            return false;
        }
        em().remove(e);
        em().flush();
        return true;
    }

    @Override
    public Check verify(RealmModel realm, String presented) {
        TokenText text = TokenText.parse(presented);
        if (text == null) {
            return new Check(null, Refusal.MALFORMED, null);
        }
        ApiTokenEntity e = row(realm, text.id());
        // one hash for every well-formed value: a miss costs what a hit costs
        boolean known = e != null && keys.has(e.getKeyId());
        String hash = keys.hash(known ? e.getKeyId() : keys.activeId(), text);
        boolean same = TokenHashKeys.same(hash, known ? e.getHash() : NO_HASH);
        if (!known) {
            return new Check(null, Refusal.UNKNOWN, null);
        }
        if (!same) {
            return new Check(null, Refusal.WRONG, e.getId());
        }
        ApiToken token = ApiToken.of(e);
        Refusal refusal = live(realm, token);
        return new Check(refusal == null ? token : null, refusal, e.getId());
    }

    @Override
    public Refusal live(RealmModel realm, ApiToken token) {
        if (token.expiresAt() <= System.currentTimeMillis()) {
            return Refusal.EXPIRED;
        }
        UserModel user = session.users().getUserById(realm, token.userId());
        if (user == null || !user.isEnabled()) {
            return Refusal.OWNER;
        }
        if (token.factors() < 2 && twoFactorOn(user)) {
            // two-factor sign-in was switched on after this token was made with one factor
            revoke(realm, token.userId(), token.id());
            return Refusal.OWNER;
        }
        return null;
    }

    static boolean twoFactorOn(UserModel user) {
        return KeywardIds.TWO_FACTOR_ON.equals(user.getFirstAttribute(KeywardIds.TWO_FACTOR_ATTRIBUTE));
    }

    @Override
    public void touch(String id, String clientAddress, long now) {
        em().createNamedQuery("keywardApiToken.touch")
                .setParameter("now", now)
                // a busy script writes once a minute, not on every call
                .setParameter("before", now - 60_000L)
                .setParameter(
                        "from",
                        clientAddress == null ? "" : clientAddress.substring(0, Math.min(64, clientAddress.length())))
                .setParameter("id", id)
                .executeUpdate();
    }

    @Override
    public Map<String, Long> rowsByKeyId() {
        Map<String, Long> counts = new HashMap<>();
        for (Object[] row : em().createNamedQuery("keywardApiToken.countByKeyId", Object[].class)
                .getResultList()) {
            counts.put((String) row[0], (Long) row[1]);
        }
        return counts;
    }

    @Override
    public void close() {}
}
