package dev.keyward.it.harness;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * A cookie-keeping HTTP client for the login pages, without a browser: follows Keycloak-internal
 * redirects, not the one to the client, and can send a fetch-style POST ({@code Accept:
 * application/json}) like the page script.
 */
public final class WireClient {
    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newBuilder()
            .cookieHandler(new CookieJar())
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    public WireClient(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    public HttpResponse<String> get(String url) throws Exception {
        return follow(
                http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    public HttpResponse<String> post(String url, Map<String, String> fields) throws Exception {
        return follow(http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(fields)))
                        .build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
        while (r.statusCode() == 302
                && r.headers()
                        .firstValue("Location")
                        .orElse("")
                        .startsWith(keycloak.baseUri().toString())) {
            r = http.send(
                    HttpRequest.newBuilder(URI.create(
                                    r.headers().firstValue("Location").get()))
                            .GET()
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        return r;
    }
}
