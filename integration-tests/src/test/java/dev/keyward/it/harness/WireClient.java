package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
                        .POST(HttpRequest.BodyPublishers.ofString(form(fields)))
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

    /** The action URL of the first form in a page. */
    public static String formAction(String html) {
        Matcher m = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no form in page");
        return m.group(1).replace("&amp;", "&");
    }

    public static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&")
                .append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }
}
