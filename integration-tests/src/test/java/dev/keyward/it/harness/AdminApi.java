package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The few admin REST calls the tests need, over java.net.http and Jackson. (keycloak-admin-client is
 * not published on Maven Central at 26.7.3, and a RESTEasy client would fight the test classpath's
 * dependency convergence for little gain.) Authenticates as the bootstrap admin with admin-cli.
 */
public final class AdminApi {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final KeycloakServer server;
    private final String username;
    private final String password;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private String token;
    private Instant tokenExpires = Instant.EPOCH;

    public AdminApi(KeycloakServer server) {
        this(server, server.adminUsername(), server.adminPassword());
    }

    /** The same calls as another user of the master realm, for tests of what an admin without some role is refused. */
    public AdminApi(KeycloakServer server, String username, String password) {
        this.server = server;
        this.username = username;
        this.password = password;
    }

    public JsonNode realm(String realm) {
        return get("/admin/realms/" + realm);
    }

    /** Merges {@code changes} into the realm representation (e.g. brute-force settings). */
    public void updateRealm(String realm, Map<String, ?> changes) {
        ObjectNode rep = (ObjectNode) realm(realm);
        changes.forEach((k, v) -> rep.set(k, JSON.valueToTree(v)));
        send("PUT", "/admin/realms/" + realm, rep);
    }

    public JsonNode serverInfo() {
        return get("/admin/serverinfo");
    }

    /** The client with this clientId (not the internal id). */
    public ObjectNode client(String realm, String clientId) {
        JsonNode found = get("/admin/realms/" + realm + "/clients?clientId=" + enc(clientId));
        if (found.size() != 1) {
            throw new IllegalStateException("client " + clientId + " not found in realm " + realm);
        }
        return (ObjectNode) found.get(0);
    }

    /** Adds one more exact redirect URI to a client, e.g. a test's callback server on a free port. */
    public void addRedirectUri(String realm, String clientId, URI redirectUri) {
        ObjectNode client = client(realm, clientId);
        ArrayNode uris = (ArrayNode) client.get("redirectUris");
        uris.add(redirectUri.toString());
        send("PUT", "/admin/realms/" + realm + "/clients/" + client.get("id").asText(), client);
    }

    /** A public client like the demo's: authorization code only, PKCE S256 required, exactly these redirect URIs. */
    public void createPublicPkceClient(String realm, String clientId, List<String> redirectUris) {
        send(
                "POST",
                "/admin/realms/" + realm + "/clients",
                Map.of(
                        "clientId",
                        clientId,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        true,
                        "directAccessGrantsEnabled",
                        false,
                        "redirectUris",
                        redirectUris,
                        "attributes",
                        Map.of("pkce.code.challenge.method", "S256")));
    }

    /** An enabled user with a verified email and no credential at all; returns the id. */
    public String createUserWithoutCredentials(String realm, String username, String email) {
        HttpResponse<String> created = send(
                "POST",
                "/admin/realms/" + realm + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        true,
                        "enabled",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        "User"));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** A user with a Keycloak password the admin marks temporary (Keycloak adds UPDATE_PASSWORD); returns the id. */
    public String createUserWithTemporaryPassword(String realm, String username, String email, String password) {
        HttpResponse<String> created = send(
                "POST",
                "/admin/realms/" + realm + "/users",
                Map.of(
                        "username",
                        username,
                        "email",
                        email,
                        "emailVerified",
                        true,
                        "enabled",
                        true,
                        "firstName",
                        "Test",
                        "lastName",
                        "User",
                        "credentials",
                        List.of(Map.of("type", "password", "value", password, "temporary", true))));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Creates an enabled user with a verified email and a (non-temporary) Keycloak password; returns the user id. */
    public String createUser(String realm, String username, String email, String password) {
        return createUser(realm, username, email, password, true);
    }

    /** Like {@link #createUser(String, String, String, String)}; an unverified address is no email-code method. */
    public String createUser(String realm, String username, String email, String password, boolean emailVerified) {
        Map<String, Object> user = Map.of(
                "username",
                username,
                "email",
                email,
                "emailVerified",
                emailVerified,
                "enabled",
                true,
                "firstName",
                "Test",
                "lastName",
                "User",
                "credentials",
                new Object[] {Map.of("type", "password", "value", password, "temporary", false)});
        HttpResponse<String> created = send("POST", "/admin/realms/" + realm + "/users", user);
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /**
     * Switches two-factor sign-in on for a user, as an admin does: the user's representation with
     * {@code two_factor_enabled} set to {@code true}, the other fields as they were. Fails unless
     * Keycloak answers 204 (it refuses a user without two usable methods).
     */
    public void enableTwoFactor(String realm, String userId) {
        String path = "/admin/realms/" + realm + "/users/" + userId;
        ObjectNode user = (ObjectNode) get(path);
        user.with("attributes").putArray("two_factor_enabled").add("true");
        HttpResponse<String> response = exchange("PUT", path, user);
        if (response.statusCode() != 204) {
            throw new IllegalStateException("PUT " + path + " -> " + response.statusCode() + ": " + response.body());
        }
    }

    /** The id of a realm's top-level flow, by alias. */
    public String flowId(String realm, String alias) {
        for (JsonNode flow : get("/admin/realms/" + realm + "/authentication/flows")) {
            if (alias.equals(flow.path("alias").asText())) {
                return flow.get("id").asText();
            }
        }
        throw new IllegalStateException("realm " + realm + " has no flow " + alias);
    }

    /** The pack's client scopes: whoever holds one may call the header proxy or the vault's user endpoint. */
    public static final String PROXY_SCOPE = "keyward-proxy";

    public static final String VAULT_SCOPE = "keyward-vault";

    public static final String API_TOKENS_SCOPE = "keyward-api-tokens";

    /**
     * A realm for the header proxy: the pack's client scopes, and a public direct-grant client
     * {@code cli} (with these web origins) that holds both as default scopes, to get user tokens from.
     */
    public void createProxyRealm(String realm, String cli, List<String> cliWebOrigins) {
        send("POST", "/admin/realms", Map.of("realm", realm, "enabled", true));
        createKeywardScopes(realm);
        createDirectGrantClient(realm, cli, cliWebOrigins, List.of(PROXY_SCOPE, VAULT_SCOPE), List.of());
    }

    /**
     * The client scopes {@code keyward-proxy} and {@code keyward-vault} exactly as the realm export
     * defines them (read from the distribution's import folder); as there, no client holds them yet.
     */
    public void createKeywardScopes(String realm) {
        for (JsonNode scope : RealmExport.read(server).get("clientScopes")) {
            if (List.of(PROXY_SCOPE, VAULT_SCOPE, API_TOKENS_SCOPE)
                    .contains(scope.path("name").asText())) {
                send("POST", "/admin/realms/" + realm + "/client-scopes", scope);
            }
        }
    }

    /**
     * A public client with direct grants (tokens from Keycloak passwords) and these web origins;
     * {@code defaultScopes} are in every token it gets, {@code optionalScopes} only when asked for.
     */
    public void createDirectGrantClient(
            String realm,
            String clientId,
            List<String> webOrigins,
            List<String> defaultScopes,
            List<String> optionalScopes) {
        send(
                "POST",
                "/admin/realms/" + realm + "/clients",
                Map.of(
                        "clientId",
                        clientId,
                        "publicClient",
                        true,
                        "standardFlowEnabled",
                        false,
                        "directAccessGrantsEnabled",
                        true,
                        "webOrigins",
                        webOrigins));
        assignClientScopes(realm, clientId, true, defaultScopes);
        assignClientScopes(realm, clientId, false, optionalScopes);
    }

    /** What an admin does to grant a client a scope: a default scope (every token) or an optional one (when asked for). */
    public void assignClientScopes(String realm, String clientId, boolean asDefault, List<String> scopes) {
        String client = client(realm, clientId).get("id").asText();
        for (String name : scopes) {
            send(
                    "PUT",
                    "/admin/realms/" + realm + "/clients/" + client + (asDefault ? "/default" : "/optional")
                            + "-client-scopes/" + clientScopeId(realm, name),
                    null);
        }
    }

    public String clientScopeId(String realm, String name) {
        for (JsonNode scope : get("/admin/realms/" + realm + "/client-scopes")) {
            if (name.equals(scope.path("name").asText())) {
                return scope.get("id").asText();
            }
        }
        throw new IllegalStateException("realm " + realm + " has no client scope " + name);
    }

    /**
     * A top-level flow of REQUIRED steps in this order.
     *
     * @return each step's execution id, by provider id
     */
    public Map<String, String> createRequiredFlow(String realm, String alias, List<String> providers) {
        String flows = "/admin/realms/" + realm + "/authentication/flows/";
        send(
                "POST",
                "/admin/realms/" + realm + "/authentication/flows",
                Map.of("alias", alias, "providerId", "basic-flow", "topLevel", true, "builtIn", false));
        for (int i = 0; i < providers.size(); i++) {
            send(
                    "POST",
                    flows + alias + "/executions/execution",
                    Map.of("provider", providers.get(i), "priority", 10 * (i + 1)));
        }
        Map<String, String> ids = new java.util.LinkedHashMap<>();
        for (JsonNode execution : get(flows + alias + "/executions")) {
            String id = execution.path("id").asText();
            // the update also sets the priority: an absent one would be 0 for all, and the order undefined
            send(
                    "PUT",
                    flows + alias + "/executions",
                    Map.of(
                            "id",
                            id,
                            "requirement",
                            "REQUIRED",
                            "priority",
                            execution.path("priority").asInt()));
            ids.put(execution.path("providerId").asText(), id);
        }
        return ids;
    }

    /** Gives an execution its config; returns the config's id (for later updates). */
    public String configureExecution(String realm, String executionId, String alias, Map<String, String> config) {
        HttpResponse<String> created = send(
                "POST",
                "/admin/realms/" + realm + "/authentication/executions/" + executionId + "/config",
                Map.of("alias", alias, "config", config));
        String location = created.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    /** Replaces the settings of an execution's config. */
    public void updateExecutionConfig(String realm, String configId, String alias, Map<String, String> config) {
        send(
                "PUT",
                "/admin/realms/" + realm + "/authentication/config/" + configId,
                Map.of("id", configId, "alias", alias, "config", config));
    }

    /**
     * The user's failed logins as the admin's brute-force endpoint counts them, once it shows one
     * or {@code patience} has passed: Keycloak's protector records asynchronously, so a count of 0
     * means none appeared in that time.
     */
    public int bruteForceFailures(String realm, String userId, Duration patience) {
        long deadline = System.nanoTime() + patience.toNanos();
        int n;
        while ((n = get("/admin/realms/" + realm + "/attack-detection/brute-force/users/" + userId)
                                .path("numFailures")
                                .asInt())
                        == 0
                && System.nanoTime() < deadline) {
            KeycloakServer.sleep(Duration.ofMillis(200));
        }
        return n;
    }

    public JsonNode get(String path) {
        try {
            return JSON.readTree(send("GET", path, null).body());
        } catch (IOException e) {
            throw new IllegalStateException("GET " + path + " returned no JSON", e);
        }
    }

    public HttpResponse<String> send(String method, String path, Object body) {
        HttpResponse<String> response = exchange(method, path, body);
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException(
                    method + " " + path + " -> " + response.statusCode() + ": " + response.body());
        }
        return response;
    }

    /** Like {@link #send}, but returns error answers too, for tests of what the admin API refuses. */
    public HttpResponse<String> exchange(String method, String path, Object body) {
        TestSecrets.recordBody(path, body);
        try {
            HttpRequest.BodyPublisher publisher = body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body));
            HttpRequest request = HttpRequest.newBuilder(server.baseUri().resolve(path))
                    .header("Authorization", "Bearer " + token())
                    .header("Content-Type", "application/json")
                    .method(method, publisher)
                    .build();
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The admin's current access token (master realm), for calls this class does not make. */
    public String accessToken() {
        try {
            return token();
        } catch (IOException e) {
            throw new IllegalStateException("admin token", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    // master realm access tokens live 60 s by default: fetch a new one shortly before that
    private synchronized String token() throws IOException, InterruptedException {
        if (Instant.now().isBefore(tokenExpires)) {
            return token;
        }
        String form =
                "grant_type=password&client_id=admin-cli&username=" + enc(username) + "&password=" + enc(password);
        HttpRequest request = HttpRequest.newBuilder(
                        server.baseUri().resolve("/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("admin token request -> " + response.statusCode() + ": " + response.body());
        }
        JsonNode json = JSON.readTree(response.body());
        token = json.get("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, token);
        tokenExpires = Instant.now().plusSeconds(json.get("expires_in").asLong() - 10);
        return token;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
