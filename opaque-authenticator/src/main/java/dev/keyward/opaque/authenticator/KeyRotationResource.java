package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeyringOption;
import jakarta.persistence.EntityManager;
import jakarta.persistence.TypedQuery;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.email.EmailException;
import org.keycloak.email.EmailTemplateProvider;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.resources.LoginActionsService;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.UserResource;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/keyward-opaque/keys}: which setup secret the realm's OPAQUE
 * passwords are under, and retiring an older one.
 * <ul>
 *   <li>{@code GET}: {@code {"activeKeyId":"2","keyIds":["1","2"],"usersByKeyId":{"1":1,"2":2},
 *       "usersUnderOtherKeyIds":0}} (realm-management {@code view-users}); one count query per key id.</li>
 *   <li>{@code POST {id}/retire}: the realm's OPAQUE credentials under {@code id} are deleted,
 *       and each of their users gets the required action {@code keyward-opaque-register} and
 *       Keycloak's execute-actions email for it (realm-management {@code manage-users}: what an
 *       admin with it can do to each user by hand). At most {@code max} (default 500) per call;
 *       {@code remaining} says how many are left. The active id is refused with 409.</li>
 * </ul>
 */
public class KeyRotationResource {
    private static final Logger LOG = Logger.getLogger(KeyRotationResource.class);
    private static final String BASE = "from CredentialEntity c where c.user.realmId = :realmId and c.type = :opaque";
    private static final String UNDER_ID = " and c.credentialData like :pattern escape '!'";
    /** Records from before key ids carry none: they are key id 1. */
    private static final String NO_ID = " and c.credentialData not like '%\"keyId\":%'";

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    KeyRotationResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent;
    }

    /** @return the active id, the ring's ids and how many users have a credential under each */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> status() {
        auth.users().requireView();
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        Map<String, Long> byId = new LinkedHashMap<>();
        long counted = 0;
        for (String id : keys.keyIds()) {
            long n = count(id);
            byId.put(id, n);
            counted += n;
        }
        if (!byId.containsKey(SetupKeyring.FIRST_ID)) {
            long n = count(SetupKeyring.FIRST_ID);
            if (n > 0) {
                byId.put(SetupKeyring.FIRST_ID, n);
                counted += n;
            }
        }
        long total = em().createQuery("select count(c) " + BASE, Long.class)
                .setParameter("realmId", realm.getId())
                .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                .getSingleResult();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("activeKeyId", keys.activeKeyId());
        body.put("keyIds", List.copyOf(keys.keyIds()));
        body.put("usersByKeyId", byId);
        // under ids that are not in the ring: they cannot sign in until retired and reset
        body.put("usersUnderOtherKeyIds", total - counted);
        return body;
    }

    /**
     * Retires a setup secret for this realm: its users lose their OPAQUE password and are asked by
     * email to set a new one.
     *
     * @param keyId the id to retire (need not be in the ring any more)
     * @param max at most this many users per call (1..5000)
     * @return the counts; 409 for the active id, 400 for a malformed id or max
     */
    @POST
    @Path("{keyId}/retire")
    @Produces(MediaType.APPLICATION_JSON)
    public Response retire(@PathParam("keyId") String keyId, @QueryParam("max") @DefaultValue("500") int max) {
        auth.users().requireManage();
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        if (!KeyringOption.KEY_ID.matcher(keyId).matches() || max < 1 || max > 5000) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "invalid_request",
                    "A key id is 1 to 32 of A-Z a-z 0-9 . _ -," + " and max is 1 to 5000");
        }
        if (keys.activeKeyId().equals(keyId)) {
            return error(
                    Response.Status.CONFLICT,
                    "active_key",
                    "Key id '" + keyId + "' is the active setup secret; make another one active"
                            + " (active-setup-secret) on every node before retiring it");
        }
        List<Object[]> rows = under(keyId, "select c.id, c.user.id ", Object[].class)
                .setMaxResults(max)
                .getResultList();
        boolean canAsk = OpaqueRegisterAction.usableIn(realm);
        int removed = 0;
        int sent = 0;
        int withoutEmail = 0;
        int failed = 0;
        for (Object[] row : rows) {
            UserModel user = session.users().getUserById(realm, (String) row[1]);
            if (user == null || !user.credentialManager().removeStoredCredentialById((String) row[0])) {
                continue;
            }
            removed++;
            if (!canAsk) {
                continue;
            }
            user.addRequiredAction(OpaqueConstants.REGISTER_ACTION_ID);
            if (user.getEmail() == null || !user.isEnabled()) {
                withoutEmail++;
            } else if (sendActionEmail(user)) {
                sent++;
            } else {
                failed++;
            }
        }
        long remaining = under(keyId, "select count(c) ", Long.class).getSingleResult();
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(Map.of("keyId", keyId, "credentialsRemoved", removed))
                .success();
        LOG.infof(
                "Realm %s: retired OPAQUE setup secret '%s' for %d users (%d emails sent, %d without email, %d failed);"
                        + " %d left",
                realm.getName(), keyId, removed, sent, withoutEmail, failed, remaining);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyId", keyId);
        body.put("credentialsRemoved", removed);
        body.put("emailsSent", sent);
        body.put("usersWithoutEmail", withoutEmail);
        body.put("emailsFailed", failed);
        body.put("remaining", remaining);
        if (!canAsk) {
            body.put(
                    "warning",
                    "required action " + OpaqueConstants.REGISTER_ACTION_ID
                            + " is not enabled in this realm: no email was sent");
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** Keycloak's execute-actions email, exactly as the admin API's own endpoint sends it. */
    private boolean sendActionEmail(UserModel user) {
        try {
            UserResource.SendEmailParams params =
                    UserResource.verifySendEmailParams(session, realm, user, null, null, null);
            List<String> actions = List.of(OpaqueConstants.REGISTER_ACTION_ID);
            ExecuteActionsActionToken token = new ExecuteActionsActionToken(
                    user.getId(),
                    user.getEmail(),
                    Time.currentTime() + params.getLifespan(),
                    actions,
                    params.getRedirectUri(),
                    params.getClientId());
            UriBuilder builder = LoginActionsService.actionTokenProcessor(
                    session.getContext().getUri());
            builder.queryParam(
                    "key", token.serialize(session, realm, session.getContext().getUri()));
            String link = builder.build(realm.getName()).toString();
            session.getProvider(EmailTemplateProvider.class)
                    .setAttribute("requiredActions", token.getRequiredActions())
                    .setRealm(realm)
                    .setUser(user)
                    .sendExecuteActions(link, TimeUnit.SECONDS.toMinutes(params.getLifespan()));
            return true;
        } catch (EmailException | ErrorResponseException e) {
            LOG.warnf(
                    "Realm %s: no execute-actions email to user %s: %s",
                    realm.getName(), user.getId(), e.getClass().getSimpleName());
            return false;
        }
    }

    private long count(String keyId) {
        return under(keyId, "select count(c) ", Long.class).getSingleResult();
    }

    private <T> TypedQuery<T> under(String keyId, String select, Class<T> type) {
        boolean first = SetupKeyring.FIRST_ID.equals(keyId);
        String where = first ? " and (c.credentialData like :pattern escape '!' or (1 = 1" + NO_ID + "))" : UNDER_ID;
        return em().createQuery(select + BASE + where, type)
                .setParameter("realmId", realm.getId())
                .setParameter("opaque", OpaqueConstants.CREDENTIAL_TYPE)
                .setParameter("pattern", "%\"keyId\":\"" + escapeLike(keyId) + "\"%");
    }

    /**
     * Key ids may hold {@code _}, a LIKE wildcard. The escape character is {@code !}: a backslash
     * is itself an escape in MySQL and MariaDB string literals.
     */
    static String escapeLike(String s) {
        return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
    }

    private EntityManager em() {
        return session.getProvider(JpaConnectionProvider.class).getEntityManager();
    }

    private static Response error(Response.Status status, String error, String message) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(Map.of("error", error, "message", message))
                .build();
    }
}
