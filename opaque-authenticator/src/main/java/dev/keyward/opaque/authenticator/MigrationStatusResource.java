package dev.keyward.opaque.authenticator;

import jakarta.persistence.EntityManager;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code GET /admin/realms/{realm}/keyward-opaque/migration}: how far a realm's move from Keycloak
 * passwords to OPAQUE has come, {@code {"legacyPasswordUsers": n, "opaqueUsers": m}}. Counted in
 * the database (one query each), so it costs the same for ten users or ten million; users of a
 * federation provider that keeps passwords outside Keycloak's credential table are not counted.
 * Needs the right to view the realm's users (realm-management {@code view-users}).
 */
public class MigrationStatusResource {
    /** Users with a stored Keycloak password and no OPAQUE record: still to migrate. */
    static final String LEGACY_QUERY = "select count(u) from UserEntity u where u.realmId = :realmId"
            + " and exists (select c.id from CredentialEntity c where c.user = u and c.type = :password)"
            + " and not exists (select o.id from CredentialEntity o where o.user = u and o.type = :opaque)";
    /** Users with an OPAQUE record. */
    static final String OPAQUE_QUERY = "select count(u) from UserEntity u where u.realmId = :realmId"
            + " and exists (select o.id from CredentialEntity o where o.user = u and o.type = :opaque)";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    MigrationStatusResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /** @return the setup-secret rotation endpoints ({@link KeyRotationResource}) */
    @Path("keys")
    public KeyRotationResource keys() {
        return new KeyRotationResource(session, realm, auth, adminEvent);
    }

    /** @return the two counts; 403 without the right to view users */
    @GET
    @Path("migration")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Long> migration() {
        // aggregate facts about all users: only for admins who may see every user anyway
        auth.users().requireView();
        EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
        Map<String, Long> counts = new LinkedHashMap<>();
        counts.put(
                "legacyPasswordUsers",
                em.createQuery(LEGACY_QUERY, Long.class)
                        .setParameter("realmId", realm.getId())
                        .setParameter("password", PasswordCredentialModel.TYPE)
                        .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                        .getSingleResult());
        counts.put(
                "opaqueUsers",
                em.createQuery(OPAQUE_QUERY, Long.class)
                        .setParameter("realmId", realm.getId())
                        .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                        .getSingleResult());
        return counts;
    }
}
