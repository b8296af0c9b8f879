package dev.keyward.approval;

import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.jboss.logging.Logger;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.FederatedIdentityModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserManager;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/keyward-approvals}: the accounts waiting for approval, and approving
 * or denying one. Keycloak has checked the admin token; every call needs the right to manage users
 * (and, fine-grained, that user). A user that is not a {@link PendingSignup} is 404 whatever else it
 * is, so the API cannot enable or delete ordinary accounts.
 */
public class SignupApprovalResource {
    private static final Logger LOG = Logger.getLogger(SignupApprovalResource.class);
    /** Keycloak's user ids are UUIDs; anything far from one is no user, without asking the database. */
    static final Pattern USER_ID = Pattern.compile("[A-Za-z0-9-]{1,64}");
    /** Page size cap of the list. */
    static final int MAX_LIST = 1000;

    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    SignupApprovalResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.USER);
    }

    /** The waiting accounts, oldest first. */
    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public List<Map<String, Object>> list() {
        auth.users().requireManage();
        return session.users()
                .searchForUserByUserAttributeStream(realm, PendingSignup.STATE, PendingSignup.PENDING)
                .filter(u -> Approvals.pending(session, realm, u).isPresent()
                        && auth.users().canManage(u))
                .sorted(java.util.Comparator.comparing(
                        u -> u.getCreatedTimestamp() == null ? 0L : u.getCreatedTimestamp()))
                .limit(MAX_LIST)
                .map(SignupApprovalResource::describe)
                .toList();
    }

    /**
     * Enables the account and links the identity it signed up with, so that the user's next login
     * through the provider completes; 409 if that identity is now linked to another account or the
     * provider is gone (the account stays pending).
     */
    @POST
    @Path("{userId}/approve")
    @Produces(MediaType.APPLICATION_JSON)
    public Response approve(@PathParam("userId") String userId) {
        auth.users().requireManage();
        UserModel user = pendingUser(userId);
        if (user == null) {
            return notPending();
        }
        auth.users().requireManage(user);
        PendingSignup pending = Approvals.pending(session, realm, user).orElseThrow();
        if (session.identityProviders().getByAlias(pending.identityProvider()) == null) {
            return RestRefusal.response(
                    Response.Status.CONFLICT,
                    "identity_provider_missing",
                    "the identity provider this account signed up with no longer exists");
        }
        FederatedIdentityModel link = new FederatedIdentityModel(
                pending.identityProvider(), pending.identityProviderUserId(), pending.identityProviderUsername());
        UserModel holder = session.users().getUserByFederatedIdentity(realm, link);
        if (holder != null && !holder.getId().equals(user.getId())) {
            return RestRefusal.response(
                    Response.Status.CONFLICT,
                    "identity_already_linked",
                    "the external identity of this sign-up is linked to another account");
        }
        if (holder == null) {
            session.users().addFederatedIdentity(realm, user, link);
        }
        // described while still pending, so the answer names the identity it signed up with
        Map<String, Object> answer = describe(user);
        answer.put("approval", "approved");
        answer.remove("createdTimestamp");
        PendingSignup.ATTRIBUTES.forEach(user::removeAttribute);
        user.setEnabled(true);
        adminEvent
                .operation(OperationType.UPDATE)
                .resourcePath("users", user.getId())
                .representation(answer)
                .success();
        LOG.debugf("Realm %s: sign-up %s approved", realm.getName(), user.getId());
        return Response.ok(answer).header("Cache-Control", "no-store").build();
    }

    /** Deletes the account: the identity may sign up again later, and will wait again. */
    @POST
    @Path("{userId}/deny")
    @Produces(MediaType.APPLICATION_JSON)
    public Response deny(@PathParam("userId") String userId) {
        auth.users().requireManage();
        UserModel user = pendingUser(userId);
        if (user == null) {
            return notPending();
        }
        auth.users().requireManage(user);
        String id = user.getId();
        new UserManager(session).removeUser(realm, user);
        adminEvent
                .operation(OperationType.DELETE)
                .resourcePath("users", id)
                .representation(Map.of("id", id, "approval", "denied"))
                .success();
        return Response.noContent().build();
    }

    private UserModel pendingUser(String userId) {
        if (userId == null || !USER_ID.matcher(userId).matches()) {
            return null;
        }
        UserModel user = session.users().getUserById(realm, userId);
        return Approvals.pending(session, realm, user).isPresent() ? user : null;
    }

    private static Response notPending() {
        return RestRefusal.response(
                Response.Status.NOT_FOUND, "not_pending", "no account with that id waits for approval");
    }

    private static Map<String, Object> describe(UserModel user) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", user.getId());
        out.put("username", user.getUsername());
        out.put("email", user.getEmail());
        out.put("createdTimestamp", user.getCreatedTimestamp());
        PendingSignup.of(user.isEnabled(), user::getFirstAttribute).ifPresent(p -> {
            out.put("identityProvider", p.identityProvider());
            out.put("identityProviderUsername", p.identityProviderUsername());
        });
        return out;
    }
}
