package dev.keyward.opaque.authenticator;

import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JPQL that finds OPAQUE credentials by the setup-secret id in their credential data (a LIKE
 * on the JSON: Keycloak stores it as text). Candidates only: whoever deletes one re-reads it first
 * ({@link KeyRotationResource#stillUnder}).
 */
final class CredentialsByKeyId {
    private static final String BASE = "from CredentialEntity c where c.type = :opaque";
    private static final String IN_REALM = " and c.user.realmId = :realmId";
    /** Records from before key ids carry none: they are key id 1. */
    private static final String NO_ID = "c.credentialData not like '%\"keyId\":%'";

    private CredentialsByKeyId() {}

    /**
     * @param select the JPQL select clause, e.g. {@code "select count(c) "}
     * @param more a clause appended after the condition (may be empty)
     * @return the realm's credentials under {@code keyId}
     */
    static <T> TypedQuery<T> under(
            EntityManager em, String realmId, String keyId, String select, String more, Class<T> type) {
        return em.createQuery(select + BASE + IN_REALM + " and " + condition(keyId, "pattern") + more, type)
                .setParameter("realmId", realmId)
                .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                .setParameter("pattern", pattern(keyId));
    }

    /** @return the realm's OPAQUE credentials, whatever their key id */
    static long total(EntityManager em, String realmId) {
        return em.createQuery("select count(c) " + BASE + IN_REALM, Long.class)
                .setParameter("realmId", realmId)
                .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                .getSingleResult();
    }

    /**
     * One query for all realms: how many OPAQUE credentials each realm has under ids that
     * {@code ring} does not hold (their users cannot sign in with their password).
     *
     * @return realm id to count, only realms with at least one
     */
    static Map<String, Long> outsideRingByRealm(EntityManager em, Set<String> ring) {
        List<String> ids = new ArrayList<>(ring);
        StringBuilder inRing = new StringBuilder();
        for (int i = 0; i < ids.size(); i++) {
            inRing.append(i == 0 ? "" : " or ").append(condition(ids.get(i), "p" + i));
        }
        TypedQuery<Object[]> query = em.createQuery(
                "select c.user.realmId, count(c) " + BASE + " and not (" + inRing + ") group by c.user.realmId",
                Object[].class);
        query.setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE);
        for (int i = 0; i < ids.size(); i++) {
            query.setParameter("p" + i, pattern(ids.get(i)));
        }
        Map<String, Long> byRealm = new LinkedHashMap<>();
        for (Object[] row : query.getResultList()) {
            byRealm.put((String) row[0], (Long) row[1]);
        }
        return byRealm;
    }

    private static String condition(String keyId, String parameter) {
        String like = "c.credentialData like :" + parameter + " escape '!'";
        return SetupKeyring.FIRST_ID.equals(keyId) ? "(" + like + " or " + NO_ID + ")" : like;
    }

    private static String pattern(String keyId) {
        return "%\"keyId\":\"" + escapeLike(keyId) + "\"%";
    }

    /**
     * Key ids may hold {@code _}, a LIKE wildcard. The escape character is {@code !}: a backslash
     * is itself an escape in MySQL and MariaDB string literals.
     */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }
}
