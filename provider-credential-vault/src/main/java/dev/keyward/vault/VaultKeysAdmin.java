package dev.keyward.vault;

import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.Config;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * The vault admin API's keys and rotation: rows per key id, the integrity check and the online
 * re-encryption that only the admin (master) realm may start, since the keys are the server's.
 */
final class VaultKeysAdmin {
    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    VaultKeysAdmin(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    private CredentialVaultProvider vault() {
        return session.getProvider(CredentialVaultProvider.class);
    }

    /** Rows per key id: this realm's, or every realm's when asked on the admin (master) realm. */
    Map<String, Object> keys() {
        auth.realm().requireViewRealm();
        VaultKeyring keyring = vault().keyring();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("activeKeyId", keyring.activeId());
        out.put("keyIds", keyring.ids());
        out.put("scope", isAdminRealm() ? "all realms" : "this realm");
        out.put("rowsByKeyId", vault().rowsByKeyId(isAdminRealm() ? null : realm.getId()));
        return out;
    }

    /**
     * Decrypts every row of this realm (plaintext discarded) and lists the ones that fail: run it
     * after a restore, before removing a key, or when the log reports an undecryptable row.
     */
    Map<String, Object> integrity() {
        auth.realm().requireManageRealm();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Long> rows = vault().rowsByKeyId(realm.getId());
        out.put("checked", rows.values().stream().mapToLong(Long::longValue).sum());
        out.put("undecryptable", vault().verify(realm.getId()));
        return out;
    }

    /** Rotation status with rows per key id over all realms; admin (master) realm only. */
    Response rotationStatus() {
        Response refused = requireServerAdmin();
        if (refused != null) {
            return refused;
        }
        return Response.ok(rotationView()).build();
    }

    /** Starts (or resumes) re-encrypting every row under the active key: 202, or 409 if one runs. */
    Response startRotation() {
        Response refused = requireServerAdmin();
        if (refused != null) {
            return refused;
        }
        try {
            rotation().start(session);
        } catch (KeyRotation.AlreadyRunningException e) {
            return RestRefusal.response(Response.Status.CONFLICT, "rotation_running", e.getMessage());
        }
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath("keyward-vault", "rotation")
                .success();
        return Response.accepted(rotationView()).build();
    }

    /** Asks the running rotation to stop after its current batch: 202, or 409 if none runs. */
    Response stopRotation() {
        Response refused = requireServerAdmin();
        if (refused != null) {
            return refused;
        }
        if (!rotation().requestStop(session)) {
            return RestRefusal.response(Response.Status.CONFLICT, "rotation_not_running", "no key rotation is running");
        }
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath("keyward-vault", "rotation", "stop")
                .success();
        return Response.accepted(rotationView()).build();
    }

    private Map<String, Object> rotationView() {
        Map<String, Object> out = new LinkedHashMap<>(rotation().status(session));
        out.put("activeKeyId", vault().keyring().activeId());
        out.put("rowsByKeyId", vault().rowsByKeyId(null));
        return out;
    }

    private KeyRotation rotation() {
        return ((JpaCredentialVaultProviderFactory) session.getKeycloakSessionFactory()
                        .getProviderFactory(CredentialVaultProvider.class, VaultConstants.DEFAULT_PROVIDER))
                .rotation();
    }

    private boolean isAdminRealm() {
        return realm.getName().equals(Config.getAdminRealm());
    }

    /** Keys are the server's, not a realm's: rotating them is for the admin realm's realm managers. */
    private Response requireServerAdmin() {
        auth.realm().requireManageRealm();
        if (!isAdminRealm()) {
            return RestRefusal.response(
                    Response.Status.FORBIDDEN,
                    "admin_realm_only",
                    "key rotation covers every realm: call it on /admin/realms/" + Config.getAdminRealm()
                            + "/keyward-vault/rotation");
        }
        return null;
    }
}
