package dev.keyward.apitoken;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.common.BoundedBody;
import dev.keyward.common.RestRefusal;
import dev.keyward.common.ScopedBearer;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.keycloak.events.Details;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.JsonSerialization;

/**
 * {@code /realms/{realm}/api-tokens}: a signed-in user's own API tokens, through a bearer access
 * token whose client was granted the scope {@code keyward-api-tokens} ({@link ScopedBearer}). The
 * user is always the access token's subject. An access token made from an API token is never
 * accepted here ({@link ApiTokenGrantType#isTokenAllowed}).
 * <ul>
 *   <li>{@code GET}: the caller's tokens (metadata only)</li>
 *   <li>{@code POST} {@code {"name", "days", "scopes"}}: a new token, its text in this answer only;
 *       needs a sign-in within the realm's {@code freshSeconds}, with two factors for a two-factor user</li>
 *   <li>{@code DELETE {id}}: 204, or 404 when the caller has no such token</li>
 * </ul>
 */
public class ApiTokenResource {
    static final String SCOPE = "keyward-api-tokens";
    private static final ScopedBearer ACCESS = new ScopedBearer(SCOPE, SCOPE);
    private static final long MAX_BODY = 4096;
    private static final String TWO_FACTOR_ACR = "two-factor";

    private final KeycloakSession session;

    ApiTokenResource(KeycloakSession session) {
        this.session = session;
    }

    private interface Call {
        Response run(AuthenticationManager.AuthResult auth) throws RestRefusal;
    }

    private Response answer(Call call) {
        try {
            return call.run(ACCESS.authenticate(session));
        } catch (RestRefusal r) {
            return r.toResponse();
        }
    }

    private RealmModel realm() {
        return session.getContext().getRealm();
    }

    private ApiTokenStore store() {
        return session.getProvider(ApiTokenStore.class);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Response list() {
        return answer(auth -> noStore(Response.ok(describe(store().list(realm(), auth.user())))));
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response create(
            @HeaderParam("Content-Type") String contentType,
            @HeaderParam("Content-Length") String length,
            InputStream body) {
        return answer(auth -> {
            RealmModel realm = realm();
            UserModel user = auth.user();
            ApiTokenSettings settings = ApiTokenSettings.of(realm);
            ClientModel client = realm.getClientByClientId(settings.client());
            if (client == null || !client.isEnabled()) {
                throw new RestRefusal(
                        Response.Status.CONFLICT,
                        "not_configured",
                        "API tokens are not set up in this realm (no enabled client " + settings.client() + ")");
            }
            int factors = freshFactors(auth, user, settings);
            Request request = Request.parse(BoundedBody.json(contentType, body, MAX_BODY), settings, client);
            long expiresAt =
                    System.currentTimeMillis() + Duration.ofDays(request.days()).toMillis();
            ApiTokenStore.Created created;
            try {
                created = store().create(realm, user, request.name(), request.scopes(), expiresAt, factors);
            } catch (TooManyTokensException e) {
                throw new RestRefusal(Response.Status.CONFLICT, "too_many_tokens", e.getMessage());
            }
            event(user, EventType.UPDATE_CREDENTIAL, created.token());
            Map<String, Object> out = describe(created.token());
            out.put("token", created.text());
            return noStore(Response.status(Response.Status.CREATED).entity(out));
        });
    }

    @DELETE
    @Path("{id}")
    public Response revoke(@PathParam("id") String id) {
        return answer(auth -> {
            ApiToken token = store().find(realm(), id);
            if (token == null || !store().revoke(realm(), auth.user().getId(), id)) {
                throw new RestRefusal(
                        Response.Status.NOT_FOUND, "token_not_found", "you have no API token with that id");
            }
            event(auth.user(), EventType.REMOVE_CREDENTIAL, token);
            return Response.noContent().build();
        });
    }

    /**
     * A token is made only right after a sign-in: a stolen browser session or a leaked access
     * token that is older cannot mint a long-lived credential. A two-factor user must have used
     * both factors for it.
     *
     * @return how many factors the sign-in had (stored with the token)
     */
    private static int freshFactors(AuthenticationManager.AuthResult auth, UserModel user, ApiTokenSettings settings)
            throws RestRefusal {
        AccessToken token = auth.token();
        long authTime = signedInAt(auth);
        long now = System.currentTimeMillis() / 1000;
        if (authTime <= 0 || now - authTime > settings.freshSeconds()) {
            throw new RestRefusal(
                            Response.Status.FORBIDDEN,
                            "fresh_sign_in_required",
                            "sign in again (within the last " + settings.freshSeconds()
                                    + " seconds) to create an API token")
                    .details(Map.of("max_age", settings.freshSeconds()));
        }
        boolean twoFactors = TWO_FACTOR_ACR.equals(token.getAcr());
        if (JpaApiTokenStore.twoFactorOn(user) && !twoFactors) {
            throw new RestRefusal(
                            Response.Status.FORBIDDEN,
                            "two_factors_required",
                            "you have two-factor sign-in on: sign in with both factors to create an API token")
                    .details(Map.of("acr_values", TWO_FACTOR_ACR));
        }
        return twoFactors ? 2 : 1;
    }

    /**
     * When the user last proved who they are: the session's note Keycloak moves on every
     * re-authentication, else the token's {@code auth_time}, else the session's start.
     */
    private static long signedInAt(AuthenticationManager.AuthResult auth) {
        UserSessionModel userSession = auth.session();
        if (userSession != null) {
            String note = userSession.getNote(AuthenticationManager.AUTH_TIME);
            if (note != null) {
                try {
                    return Long.parseLong(note);
                } catch (NumberFormatException e) {
                    // fall through
                }
            }
        }
        Long claim = auth.token().getAuth_time();
        if (claim != null) {
            return claim;
        }
        return userSession == null ? 0 : userSession.getStarted();
    }

    private void event(UserModel user, EventType type, ApiToken token) {
        new EventBuilder(realm(), session, session.getContext().getConnection())
                .event(type)
                .user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(Details.CREDENTIAL_TYPE, ApiTokenConstants.EVENT_CREDENTIAL_TYPE)
                .detail(ApiTokenConstants.DETAIL_TOKEN_ID, token.id())
                .success();
    }

    private static Response noStore(Response.ResponseBuilder builder) {
        return builder.header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .build();
    }

    static List<Map<String, Object>> describe(List<ApiToken> tokens) {
        return tokens.stream().map(ApiTokenResource::describe).toList();
    }

    static Map<String, Object> describe(ApiToken t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("prefix", t.prefix());
        m.put("name", t.name());
        m.put("scopes", t.scopes());
        m.put("twoFactor", t.factors() >= 2);
        m.put("createdAt", t.createdAt());
        m.put("expiresAt", t.expiresAt());
        m.put("lastUsedAt", t.lastUsedAt());
        m.put("lastUsedFrom", t.lastUsedFrom());
        return m;
    }

    /** A creation request, checked. */
    record Request(String name, int days, List<String> scopes) {
        static Request parse(String json, ApiTokenSettings settings, ClientModel client) throws RestRefusal {
            JsonNode node;
            try {
                node = JsonSerialization.mapper.readTree(json);
            } catch (IOException e) {
                throw invalid("the body is not valid JSON");
            }
            if (node == null || !node.isObject()) {
                throw invalid("send a JSON object: {\"name\": ..., \"days\": ..., \"scopes\": [...]}");
            }
            JsonNode nameNode = node.get("name");
            String name = nameNode == null || !nameNode.isTextual()
                    ? ""
                    : nameNode.asText().strip();
            if (name.isEmpty() || name.length() > 64 || name.chars().anyMatch(Character::isISOControl)) {
                throw invalid("name: 1 to 64 characters, no control characters");
            }
            int days = settings.defaultDays();
            JsonNode daysNode = node.get("days");
            if (daysNode != null && !daysNode.isNull()) {
                if (!daysNode.canConvertToInt() || !daysNode.isIntegralNumber()) {
                    throw invalid("days: a whole number from 1 to " + settings.maxDays());
                }
                days = daysNode.asInt();
                if (days < 1 || days > settings.maxDays()) {
                    throw invalid("days: a whole number from 1 to " + settings.maxDays());
                }
            }
            Set<String> offered = offeredScopes(client);
            Set<String> scopes = new LinkedHashSet<>();
            JsonNode scopesNode = node.get("scopes");
            if (scopesNode != null && !scopesNode.isNull()) {
                if (!scopesNode.isArray()) {
                    throw invalid("scopes: a list of scope names");
                }
                for (JsonNode s : scopesNode) {
                    if (!s.isTextual() || !offered.contains(s.asText())) {
                        throw invalid("scopes: each one of " + offered);
                    }
                    scopes.add(s.asText());
                }
            }
            return new Request(name, days, new ArrayList<>(scopes));
        }

        /** What a token may carry: the exchange client's optional scopes. */
        static Set<String> offeredScopes(ClientModel client) {
            Set<String> names = new LinkedHashSet<>();
            for (ClientScopeModel scope : client.getClientScopes(false).values()) {
                names.add(scope.getName());
            }
            return names;
        }

        private static RestRefusal invalid(String description) {
            return new RestRefusal(Response.Status.BAD_REQUEST, "invalid_request", description);
        }
    }
}
