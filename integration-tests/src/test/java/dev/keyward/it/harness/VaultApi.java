package dev.keyward.it.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The credential vault's REST API as a client sees it: a realm's user endpoint with a user's
 * bearer token (Keycloak-password tokens from a direct-grant client), answers as status, body and headers.
 */
public final class VaultApi {
    public static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final KeycloakServer server;

    public VaultApi(KeycloakServer server) {
        this.server = server;
    }

    public record Answer(int status, String body, java.net.http.HttpHeaders headers) {
        /** @return the first value of an answer header, or null */
        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }

        public JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON (" + status + "): " + body, e);
            }
        }

        public String error() {
            return json().path("error").asText();
        }
    }

    /** A realm access token for a user with a Keycloak password, from the public direct-grant client {@code clientId}. */
    public String userToken(String realm, String clientId, String username, String password) {
        return userToken(realm, clientId, username, password, null);
    }

    /** Same, asking for these (space-separated) optional client scopes; null asks for none. */
    public String userToken(String realm, String clientId, String username, String password, String scope) {
        TestSecrets.record(TestSecrets.Kind.PASSWORD, password);
        String form = "grant_type=password&client_id=" + enc(clientId) + "&username=" + enc(username) + "&password="
                + enc(password) + (scope == null ? "" : "&scope=" + enc(scope));
        Answer a = call(
                HttpRequest.newBuilder(server.baseUri().resolve("/realms/" + realm + "/protocol/openid-connect/token"))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(form)));
        if (a.status() != 200) {
            throw new IllegalStateException("token for " + username + " -> " + a.status() + ": " + a.body());
        }
        String token = a.json().get("access_token").asText();
        TestSecrets.record(TestSecrets.Kind.TOKEN, token);
        return token;
    }

    /** {@code method /realms/{realm}/keyward-vault/{path}} with a bearer token (or none) and a raw body. */
    public Answer user(String method, String realm, String path, String token, String contentType, String body) {
        return send(method, "/realms/" + realm + "/keyward-vault/" + path, token, contentType, body);
    }

    /** Same, with a JSON body. */
    public Answer userJson(String method, String realm, String path, String token, Map<String, ?> body) {
        return user(method, realm, path, token, "application/json", json(body));
    }

    public Answer send(String method, String path, String token, String contentType, String body) {
        return send(method, path, token, contentType, body, Map.of());
    }

    /** Same, with more request headers (e.g. a browser's {@code Origin}). */
    public Answer send(
            String method, String path, String token, String contentType, String body, Map<String, String> headers) {
        TestSecrets.recordBody(path, body);
        HttpRequest.Builder b = HttpRequest.newBuilder(server.baseUri().resolve(path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        return call(b);
    }

    /** An access token's claims, read without checking the signature (the server does that). */
    public static JsonNode claims(String token) {
        try {
            return JSON.readTree(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]));
        } catch (IOException e) {
            throw new IllegalStateException("not a JWT", e);
        }
    }

    /** The audiences an access token names ({@code aud} is a string or an array). */
    public static java.util.List<String> audiences(String token) {
        JsonNode aud = claims(token).path("aud");
        java.util.List<String> out = new java.util.ArrayList<>();
        if (aud.isArray()) {
            aud.forEach(a -> out.add(a.asText()));
        } else if (aud.isTextual()) {
            out.add(aud.asText());
        }
        return out;
    }

    public static String json(Object body) {
        try {
            return JSON.writeValueAsString(body);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Answer call(HttpRequest.Builder request) {
        try {
            HttpResponse<String> r = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Answer(r.statusCode(), r.body(), r.headers());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
