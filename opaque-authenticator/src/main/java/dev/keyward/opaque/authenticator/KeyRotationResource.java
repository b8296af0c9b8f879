package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeyringOption;
import dev.keyward.common.KeywardIds;
import jakarta.persistence.EntityManager;
import jakarta.persistence.EntityNotFoundException;
import jakarta.persistence.LockModeType;
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
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.authentication.actiontoken.execactions.ExecuteActionsActionToken;
import org.keycloak.common.util.Time;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.admin.OperationType;
import org.keycloak.models.KeycloakContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.jpa.entities.CredentialEntity;
import org.keycloak.services.ErrorResponseException;
import org.keycloak.services.managers.AuthenticationManager;
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
 *   <li>{@code POST {id}/retire[?max=500&after=&logout=false]}: the realm's OPAQUE credentials
 *       under {@code id} are deleted, each re-read under a lock first (a sign-in may have moved it
 *       to the active id since it was found), and each of their users gets the required action
 *       {@code keyward-opaque-register} and, after the deletions commit, Keycloak's
 *       execute-actions email for it, or for a two-factor user the pack's notice
 *       ({@link RetirementMail}). Realm-management {@code manage-users}, and per user what
 *       fine-grained admin permissions let this admin manage: what an admin can do to each user by
 *       hand. {@code logout=true} also ends the users' sessions. At most {@code max} credentials
 *       examined per call, in id order; {@code next} (present when the call examined {@code max})
 *       is the {@code after} of the next call; {@code remaining} says how many are left. The
 *       active id is refused with 409.</li>
 * </ul>
 */
public class KeyRotationResource {
    private static final Logger LOG = Logger.getLogger(KeyRotationResource.class);
    /** Keycloak's credential ids are UUIDs; this only keeps other text out of the query. */
    private static final Pattern CREDENTIAL_ID = Pattern.compile("[A-Za-z0-9-]{1,36}");

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
        long total = CredentialsByKeyId.total(em(), realm.getId());
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
     * email, once the deletions are committed, to set a new one.
     *
     * @param keyId the id to retire (need not be in the ring any more)
     * @param max at most this many credentials examined per call (1..5000)
     * @param after examine only credentials whose id sorts after this one (the previous answer's
     *     {@code next}), so rows this admin may not change do not hold up the others
     * @param logout also end every session of each user whose password was removed
     * @return the counts; 409 for the active id, 400 for a malformed id, max or after
     */
    @POST
    @Path("{keyId}/retire")
    @Produces(MediaType.APPLICATION_JSON)
    public Response retire(
            @PathParam("keyId") String keyId,
            @QueryParam("max") @DefaultValue("500") int max,
            @QueryParam("after") String after,
            @QueryParam("logout") @DefaultValue("false") boolean logout) {
        auth.users().requireManage();
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        if (!KeyringOption.KEY_ID.matcher(keyId).matches()
                || max < 1
                || max > 5000
                || (after != null && !CREDENTIAL_ID.matcher(after).matches())) {
            return error(
                    Response.Status.BAD_REQUEST,
                    "invalid_request",
                    "A key id is 1 to 32 of A-Z a-z 0-9 . _ -, max is 1 to 5000"
                            + " and after is a credential id from an earlier answer's next");
        }
        if (keys.activeKeyId().equals(keyId)) {
            return error(
                    Response.Status.CONFLICT,
                    "active_key",
                    "Key id '" + keyId + "' is the active setup secret; make another one active"
                            + " (active-setup-secret) on every node before retiring it");
        }
        String more = (after == null ? "" : " and c.id > :after") + " order by c.id";
        TypedQuery<Object[]> candidates =
                CredentialsByKeyId.under(em(), realm.getId(), keyId, "select c.id, c.user.id ", more, Object[].class);
        if (after != null) {
            candidates.setParameter("after", after);
        }
        List<Object[]> rows = candidates.setMaxResults(max).getResultList();
        boolean canAsk = OpaqueRegisterAction.usableIn(realm);
        RetirementMail mail = new RetirementMail(session, realm, keyId);
        Counts counts = new Counts();
        for (Object[] row : rows) {
            retireOne((String) row[0], (String) row[1], keyId, canAsk, logout, mail, counts);
        }
        if (!mail.isEmpty()) {
            session.getTransactionManager().enlistAfterCompletion(mail);
        }
        long remaining = count(keyId);
        adminEvent
                .operation(OperationType.ACTION)
                .resourcePath(session.getContext().getUri())
                .representation(Map.of("keyId", keyId, "credentialsRemoved", counts.removed, "logout", logout))
                .success();
        LOG.infof(
                "Realm %s: retired OPAQUE setup secret '%s' for %d users (%d action emails and %d two-factor notices"
                        + " to send after commit, %d without email, %d not permitted, %d changed meanwhile,"
                        + " %d sessions ended); %d left",
                realm.getName(),
                keyId,
                counts.removed,
                counts.actionEmails,
                counts.twoFactorNotices,
                counts.withoutEmail,
                counts.notPermitted,
                counts.changed,
                counts.sessionsEnded,
                remaining);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("keyId", keyId);
        body.put("credentialsRemoved", counts.removed);
        body.put("actionEmailsQueued", counts.actionEmails);
        body.put("twoFactorNoticesQueued", counts.twoFactorNotices);
        body.put("usersWithoutEmail", counts.withoutEmail);
        body.put("usersNotPermitted", counts.notPermitted);
        body.put("credentialsChanged", counts.changed);
        body.put("sessionsEnded", counts.sessionsEnded);
        body.put("remaining", remaining);
        if (rows.size() == max) {
            body.put("next", rows.get(rows.size() - 1)[0]);
        }
        if (!canAsk) {
            body.put(
                    "warning",
                    "required action " + OpaqueConstants.REGISTER_ACTION_ID
                            + " is not enabled in this realm: no email was sent");
        }
        return Response.ok(body, MediaType.APPLICATION_JSON_TYPE).build();
    }

    /** What one call did, for its answer and its log line. */
    private static final class Counts {
        int removed;
        int actionEmails;
        int twoFactorNotices;
        int withoutEmail;
        int notPermitted;
        int changed;
        int sessionsEnded;
    }

    private void retireOne(
            String credentialId,
            String userId,
            String keyId,
            boolean canAsk,
            boolean logout,
            RetirementMail mail,
            Counts counts) {
        UserModel user = session.users().getUserById(realm, userId);
        if (user == null) {
            return;
        }
        if (!auth.users().canManage(user)) {
            // fine-grained admin permissions: what this admin could not do to the user by hand
            counts.notPermitted++;
            return;
        }
        if (!removeIfStillUnder(user, credentialId, keyId)) {
            counts.changed++;
            return;
        }
        counts.removed++;
        if (logout) {
            counts.sessionsEnded += logout(user);
        }
        if (!canAsk) {
            return;
        }
        user.addRequiredAction(OpaqueConstants.REGISTER_ACTION_ID);
        if (user.getEmail() == null || !user.isEnabled()) {
            counts.withoutEmail++;
        } else if (KeywardIds.TWO_FACTOR_ON.equals(user.getFirstAttribute(KeywardIds.TWO_FACTOR_ATTRIBUTE))) {
            // an email link proves one factor only: keyward-two-factor-check would refuse the login it starts
            boolean passkey = user.credentialManager()
                    .getStoredCredentialsByTypeStream(KeywardIds.PASSKEY_CREDENTIAL_TYPE)
                    .findAny()
                    .isPresent();
            boolean emailCode = user.credentialManager().isConfiguredFor(KeywardIds.EMAIL_CODE_CREDENTIAL_TYPE);
            mail.add(new RetirementMail.Queued(userId, null, 0, passkey, passkey && emailCode));
            counts.twoFactorNotices++;
        } else if (queueActionEmail(user, mail)) {
            counts.actionEmails++;
        } else {
            counts.withoutEmail++;
        }
    }

    /**
     * The candidate was found by a LIKE before this loop; a sign-in may have moved it to the
     * active secret since (RekeyStep updates the row in place). The row is re-read under a write
     * lock, so such a move either committed before (and is seen here) or waits for this
     * transaction, and deleted only if it is still under {@code keyId}.
     */
    private boolean removeIfStillUnder(UserModel user, String credentialId, String keyId) {
        EntityManager em = em();
        CredentialEntity row = em.find(CredentialEntity.class, credentialId);
        if (row == null) {
            return false;
        }
        try {
            em.refresh(row, LockModeType.PESSIMISTIC_WRITE);
        } catch (EntityNotFoundException e) {
            return false;
        }
        CredentialModel fresh = new CredentialModel();
        fresh.setId(row.getId());
        fresh.setType(row.getType());
        fresh.setCredentialData(row.getCredentialData());
        fresh.setSecretData(row.getSecretData());
        if (!row.getUser().getId().equals(user.getId()) || !stillUnder(fresh, keyId)) {
            return false;
        }
        return user.credentialManager().removeStoredCredentialById(credentialId);
    }

    /**
     * @param fresh the credential as re-read just before deleting it
     * @param keyId the id being retired
     * @return whether it is an OPAQUE credential still under {@code keyId}; an unreadable one is
     *     left alone (its key id cannot be known) and logged
     */
    static boolean stillUnder(CredentialModel fresh, String keyId) {
        if (!OpaqueConstants.CREDENTIAL_TYPE.equals(fresh.getType())) {
            return false;
        }
        try {
            return keyId.equals(
                    OpaqueCredentialModel.createFromCredentialModel(fresh).keyId());
        } catch (IllegalArgumentException e) {
            LOG.warnf("Not retiring unreadable %s credential %s", OpaqueConstants.CREDENTIAL_TYPE, fresh.getId());
            return false;
        }
    }

    /** As the admin API's user logout: tokens issued before now are refused, and every session ends. */
    private int logout(UserModel user) {
        session.users().setNotBeforeForUser(realm, user, Time.currentTime());
        List<UserSessionModel> sessions =
                session.sessions().getUserSessionsStream(realm, user).toList();
        KeycloakContext context = session.getContext();
        for (UserSessionModel userSession : sessions) {
            AuthenticationManager.backchannelLogout(
                    session,
                    realm,
                    userSession,
                    context.getUri(),
                    context.getConnection(),
                    context.getRequestHeaders(),
                    true);
        }
        return sessions.size();
    }

    /**
     * Keycloak's execute-actions email, exactly as the admin API's own endpoint makes it; the link is
     * made now (it needs the request's URI) and sent after commit.
     */
    private boolean queueActionEmail(UserModel user, RetirementMail mail) {
        try {
            UserResource.SendEmailParams params =
                    UserResource.verifySendEmailParams(session, realm, user, null, null, null);
            ExecuteActionsActionToken token = new ExecuteActionsActionToken(
                    user.getId(),
                    user.getEmail(),
                    Time.currentTime() + params.getLifespan(),
                    List.of(OpaqueConstants.REGISTER_ACTION_ID),
                    params.getRedirectUri(),
                    params.getClientId());
            UriBuilder builder = LoginActionsService.actionTokenProcessor(
                    session.getContext().getUri());
            builder.queryParam(
                    "key", token.serialize(session, realm, session.getContext().getUri()));
            String link = builder.build(realm.getName()).toString();
            mail.add(new RetirementMail.Queued(
                    user.getId(), link, TimeUnit.SECONDS.toMinutes(params.getLifespan()), false, false));
            return true;
        } catch (ErrorResponseException e) {
            LOG.warnf(
                    "Realm %s: no execute-actions email to user %s: %s",
                    realm.getName(), user.getId(), e.getClass().getSimpleName());
            return false;
        }
    }

    private long count(String keyId) {
        return CredentialsByKeyId.under(em(), realm.getId(), keyId, "select count(c) ", "", Long.class)
                .getSingleResult();
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
