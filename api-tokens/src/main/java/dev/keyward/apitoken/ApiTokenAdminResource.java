package dev.keyward.apitoken;

import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.resources.admin.AdminEventBuilder;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * {@code /admin/realms/{realm}/keyward-api-tokens}: an admin lists (view-users) and revokes
 * (manage-users) any user's tokens. Admins cannot create a token for someone else.
 */
public class ApiTokenAdminResource {
    private final KeycloakSession session;
    private final RealmModel realm;
    private final AdminPermissionEvaluator auth;
    private final AdminEventBuilder adminEvent;

    ApiTokenAdminResource(
            KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth, AdminEventBuilder adminEvent) {
        this.session = session;
        this.realm = realm;
        this.auth = auth;
        this.adminEvent = adminEvent.resource(ResourceType.CUSTOM);
    }

    private UserModel user(String userId) {
        UserModel user = userId == null ? null : session.users().getUserById(realm, userId);
        if (user == null) {
            auth.users().requireQuery();
        }
        return user;
    }

    @GET
    @Path("users/{userId}")
    @Produces(MediaType.APPLICATION_JSON)
    public Response list(@PathParam("userId") String userId) {
        UserModel user = user(userId);
        if (user == null) {
            return RestRefusal.response(Response.Status.NOT_FOUND, "user_not_found", "no user with that id");
        }
        auth.users().requireView(user);
        return Response.ok(ApiTokenResource.describe(
                        session.getProvider(ApiTokenStore.class).list(realm, user)))
                .build();
    }

    @DELETE
    @Path("users/{userId}/{tokenId}")
    public Response revoke(@PathParam("userId") String userId, @PathParam("tokenId") String tokenId) {
        UserModel user = user(userId);
        if (user == null) {
            return RestRefusal.response(Response.Status.NOT_FOUND, "user_not_found", "no user with that id");
        }
        auth.users().requireManage(user);
        if (!session.getProvider(ApiTokenStore.class).revoke(realm, user.getId(), tokenId)) {
            return RestRefusal.response(
                    Response.Status.NOT_FOUND, "token_not_found", "the user has no API token with that id");
        }
        adminEvent
                .operation(OperationType.DELETE)
                .resourcePath(ApiTokenAdminResourceProviderFactory.ID, "users", user.getId(), tokenId)
                .success();
        return Response.noContent().build();
    }
}
