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
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientModel;
import org.keycloak.models.ClientScopeModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
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
 *   <li>{@code GET settings}: what a new token may be (lifetimes, scopes), for the token page</li>
 * </ul>
 * {@code GET page} serves the user's token page ({@link TokenPage}), which uses the above.
 */
public class ApiTokenResource {
    static final String SCOPE = "keyward-api-tokens";
    private static final ScopedBearer ACCESS = new ScopedBearer(SCOPE, SCOPE);
    private static final long MAX_BODY = 4096;
    /** Single-use-store key prefix of the sign-ins that have made a token. */
    private static final String SIGN_IN_USED = "keyward-api-token-sign-in:";

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

    @GET
    @Path("settings")
    @Produces(MediaType.APPLICATION_JSON)
    public Response settings() {
        return answer(auth -> {
            ApiTokenSettings settings = ApiTokenSettings.of(realm());
            ClientModel client = settings.usableClient(realm());
            List<Map<String, String>> scopes = new ArrayList<>();
            if (client != null) {
                for (ClientScopeModel scope : client.getClientScopes(false).values()) {
                    scopes.add(Map.of("name", scope.getName(), "label", label(scope)));
                }
                scopes.sort(Comparator.comparing(s -> s.get("name")));
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("enabled", client != null);
            out.put("defaultDays", settings.defaultDays());
            out.put("maxDays", settings.maxDays());
            out.put("maxPerUser", settings.maxPerUser());
            out.put("freshSeconds", settings.freshSeconds());
            // the page asks for both factors up front instead of learning it from a refusal
            out.put("twoFactors", JpaApiTokenStore.twoFactorOn(auth.user()));
            out.put("scopes", scopes);
            return noStore(Response.ok(out));
        });
    }

    /** What a user is told a scope allows: its consent-screen text unless that is a message key, else its name. */
    private static String label(ClientScopeModel scope) {
        String text = scope.getConsentScreenText();
        return text == null || text.isBlank() || text.startsWith("${") ? scope.getName() : text;
    }

    /** The user's token page; its script signs in through the realm's page client. */
    @GET
    @Path("page")
    @Produces(MediaType.TEXT_HTML)
    public Response page() {
        return TokenPage.page(session);
    }

    @GET
    @Path("page/{asset}")
    public Response pageAsset(@PathParam("asset") String asset) {
        return TokenPage.asset(session, asset);
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
            ClientModel client = settings.usableClient(realm);
            if (client == null) {
                throw new RestRefusal(
                        Response.Status.CONFLICT,
                        "not_configured",
                        "API tokens are not set up in this realm (the client " + settings.client()
                                + " must exist, be enabled and have full scope off)");
            }
            FreshSignIn.Result sign = freshSignIn(auth, user, settings);
            int factors = sign.twoFactors() ? 2 : 1;
            Request request = Request.parse(BoundedBody.json(contentType, body, MAX_BODY), settings, client);
            // one token per sign-in: an intruder racing the user's own creation on the same sign-in
            // makes the user's fail, where they see it, instead of both succeeding unseen
            if (!session.singleUseObjects()
                    .putIfAbsent(
                            SIGN_IN_USED + auth.session().getId() + ":" + sign.authTime(),
                            settings.freshSeconds() + 60L)) {
                throw new RestRefusal(
                                Response.Status.FORBIDDEN,
                                "fresh_sign_in_required",
                                "this sign-in has already made an API token: sign in again (prompt=login) to make"
                                        + " another")
                        .details(Map.of("max_age", settings.freshSeconds()));
            }
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
     * {@code GET basic[?scope=a b]}, for a reverse proxy in front of a service that only speaks HTTP
     * Basic (nginx {@code auth_request}, Traefik {@code forwardAuth}): the caller's
     * {@code Authorization: Basic} carries the user name and an API token as the password. 204 with
     * {@code X-Keyward-User}, {@code X-Keyward-User-Id} and {@code X-Keyward-Scopes} when the token
     * is the user's, alive, and carries every asked scope; 401 with a Basic challenge when not (all
     * causes alike); 403 for a missing scope; 429 while the address is held for failures. Off (404)
     * unless the realm sets {@code keyward.apiTokens.basic}.
     */
    @GET
    @Path("basic")
    public Response basic(@HeaderParam("Authorization") String authorization, @QueryParam("scope") String scope) {
        RealmModel realm = realm();
        if (!ApiTokenSettings.of(realm).basic()) {
            return RestRefusal.response(
                    Response.Status.NOT_FOUND, "not_enabled", "HTTP Basic with API tokens is off in this realm");
        }
        String challenge = "Basic realm=\""
                + realm.getName().replace("\\", "\\\\").replace("\"", "\\\"") + "\", charset=\"UTF-8\"";
        BasicCredentials credentials = BasicCredentials.parse(authorization);
        if (credentials == null) {
            return basicRefusal(challenge, "send the user name and an API token as HTTP Basic credentials");
        }
        String address = session.getContext().getConnection().getRemoteAddr();
        EventBuilder event = new EventBuilder(
                        realm, session, session.getContext().getConnection())
                .event(EventType.INTROSPECT_TOKEN)
                .detail(Details.AUTH_METHOD, "basic")
                .detail(Details.CREDENTIAL_TYPE, ApiTokenConstants.EVENT_CREDENTIAL_TYPE);
        TokenGate gate = TokenGate.of(session);
        TokenGate.Outcome check = gate.check(session, realm, credentials.password(), address);
        UserModel user =
                check.ok() ? session.users().getUserById(realm, check.token().userId()) : null;
        if (check.ok() && (user == null || !user.getUsername().equalsIgnoreCase(credentials.user()))) {
            // a right token beside another user's name: someone is probing, count it
            check = new TokenGate.Outcome(
                    null, gate.failed(session, realm, check.id(), address), ApiTokenStore.Refusal.WRONG, check.id());
            user = null;
        }
        if (check.blocked()) {
            event.detail(Details.REASON, "too many failed API tokens from this address")
                    .error(Errors.NOT_ALLOWED);
            return new RestRefusal(429, "too_many_failures", "too many failed attempts; try again later")
                    .retryAfter(gate.retryAfterSeconds())
                    .toResponse();
        }
        if (user == null) {
            if (check.id() != null) {
                event.detail(ApiTokenConstants.DETAIL_TOKEN_ID, check.id());
            }
            event.detail(
                            Details.REASON,
                            check.refusal() == null
                                    ? "user"
                                    : check.refusal().name().toLowerCase(Locale.ROOT))
                    .error(Errors.INVALID_TOKEN);
            return basicRefusal(challenge, "the user name and API token are not valid here");
        }
        ApiToken token = check.token();
        event.user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(ApiTokenConstants.DETAIL_TOKEN_ID, token.id());
        if (scope != null && !scope.isBlank()) {
            for (String wanted : scope.trim().split("\\s+")) {
                if (!token.scopes().contains(wanted)) {
                    event.detail(Details.REASON, "missing scope").error(Errors.NOT_ALLOWED);
                    return new RestRefusal(
                                    403, "insufficient_scope", "the API token does not carry the scope " + wanted)
                            .toResponse();
                }
            }
        }
        session.getProvider(ApiTokenStore.class).touch(token.id(), address, System.currentTimeMillis());
        event.success();
        return Response.noContent()
                .header("X-Keyward-User", user.getUsername())
                .header("X-Keyward-User-Id", user.getId())
                .header("X-Keyward-Scopes", String.join(" ", token.scopes()))
                .header("Cache-Control", "no-store")
                .build();
    }

    private static Response basicRefusal(String challenge, String description) {
        return new RestRefusal(401, "invalid_credentials", description)
                .challenge(challenge)
                .toResponse();
    }

    /** The user name and password of an {@code Authorization: Basic} header, or null. */
    record BasicCredentials(String user, String password) {
        static BasicCredentials parse(String header) {
            if (header == null || header.length() < 7 || !header.regionMatches(true, 0, "Basic ", 0, 6)) {
                return null;
            }
            String decoded;
            try {
                decoded = new String(
                        Base64.getDecoder().decode(header.substring(6).trim()), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                return null;
            }
            int colon = decoded.indexOf(':');
            if (colon <= 0) {
                return null;
            }
            return new BasicCredentials(decoded.substring(0, colon), decoded.substring(colon + 1));
        }

        @Override
        public String toString() {
            return "BasicCredentials[" + user + "]";
        }
    }

    /**
     * A token is made only right after a sign-in with credentials ({@link FreshSignIn}): a stolen
     * session, refresh token or older access token cannot mint a long-lived credential. A
     * two-factor user must have used both factors in it.
     */
    private FreshSignIn.Result freshSignIn(
            AuthenticationManager.AuthResult auth, UserModel user, ApiTokenSettings settings) throws RestRefusal {
        FreshSignIn.Result sign =
                FreshSignIn.of(session, realm(), auth.token(), auth.session(), settings.freshSeconds());
        if (!sign.fresh()) {
            throw new RestRefusal(
                            Response.Status.FORBIDDEN,
                            "fresh_sign_in_required",
                            sign.why() + ": sign in again with your credentials (prompt=login) within "
                                    + settings.freshSeconds() + " seconds before creating an API token")
                    .details(Map.of("max_age", settings.freshSeconds()));
        }
        if (JpaApiTokenStore.twoFactorOn(user) && !sign.twoFactors()) {
            throw new RestRefusal(
                            Response.Status.FORBIDDEN,
                            "two_factors_required",
                            "you have two-factor sign-in on: sign in with both factors to create an API token")
                    .details(Map.of("acr_values", "two-factor"));
        }
        return sign;
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
            if (name.isEmpty() || name.length() > 64 || name.codePoints().anyMatch(Request::hidden)) {
                throw invalid("name: 1 to 64 characters, no control or invisible formatting characters");
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
            if (String.join(" ", scopes).length() > 1024) {
                throw invalid("scopes: at most 1024 characters together");
            }
            return new Request(name, days, new ArrayList<>(scopes));
        }

        /** Control characters and invisible ones (bidi overrides, zero-width) that would disguise a name in a list. */
        static boolean hidden(int c) {
            int type = Character.getType(c);
            return Character.isISOControl(c)
                    || type == Character.FORMAT
                    || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
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
