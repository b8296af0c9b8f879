package dev.keyward.it;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.CookieHandler;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A cookie-keeping HTTP client for the login pages, without a browser: follows Keycloak-internal
 * redirects, not the one to the client, and can send a fetch-style POST ({@code Accept:
 * application/json}) like the page script.
 */
final class WireClient {
    private final KeycloakServer keycloak;
    private final HttpClient http = HttpClient.newBuilder().cookieHandler(new Jar())
            .followRedirects(HttpClient.Redirect.NEVER).build();

    WireClient(KeycloakServer keycloak) {
        this.keycloak = keycloak;
    }

    HttpResponse<String> get(String url) throws Exception {
        return follow(http.send(HttpRequest.newBuilder(URI.create(url)).GET().build(), HttpResponse.BodyHandlers.ofString()));
    }

    HttpResponse<String> post(String url, Map<String, String> fields) throws Exception {
        return follow(http.send(HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form(fields))).build(), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpResponse<String> follow(HttpResponse<String> r) throws Exception {
        while (r.statusCode() == 302 && r.headers().firstValue("Location").orElse("").startsWith(keycloak.baseUri().toString())) {
            r = http.send(HttpRequest.newBuilder(URI.create(r.headers().firstValue("Location").get())).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
        }
        return r;
    }

    /** The action URL of the first form in a page. */
    static String formAction(String html) {
        Matcher m = Pattern.compile("<form[^>]*action=\"([^\"]+)\"").matcher(html);
        assertTrue(m.find(), "no form in page");
        return m.group(1).replace("&amp;", "&");
    }

    static String form(Map<String, String> fields) {
        StringBuilder sb = new StringBuilder();
        fields.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "&").append(URLEncoder.encode(k, StandardCharsets.UTF_8))
                .append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return sb.toString();
    }

    /** Keeps cookies whatever their Secure flag says: a browser treats http://localhost as secure, java.net does not. */
    private static final class Jar extends CookieHandler {
        private final Map<String, String> cookies = new LinkedHashMap<>();

        @Override
        public synchronized Map<String, List<String>> get(URI uri, Map<String, List<String>> headers) {
            if (cookies.isEmpty()) {
                return Map.of();
            }
            StringBuilder sb = new StringBuilder();
            cookies.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
            return Map.of("Cookie", List.of(sb.toString()));
        }

        @Override
        public synchronized void put(URI uri, Map<String, List<String>> headers) {
            headers.forEach((name, values) -> {
                if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                    for (String c : values) {
                        String nv = c.split(";", 2)[0];
                        int eq = nv.indexOf('=');
                        String key = nv.substring(0, eq).trim();
                        String value = nv.substring(eq + 1).trim();
                        if (value.isEmpty() || c.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                            cookies.remove(key);
                        } else {
                            cookies.put(key, value);
                        }
                    }
                }
            });
        }
    }
}
