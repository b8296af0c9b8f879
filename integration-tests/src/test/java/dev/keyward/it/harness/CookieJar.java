package dev.keyward.it.harness;

import java.net.CookieHandler;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One client's cookies, sent to every URL it calls (each test client talks to one Keycloak).
 * Kept whatever their Secure flag says: a browser treats http://localhost as secure, java.net's
 * CookieManager does not and would drop Keycloak's session cookies.
 */
public final class CookieJar extends CookieHandler {
    private final Map<String, String> cookies = new LinkedHashMap<>();

    /** The Cookie header value, or null when there are none. */
    public synchronized String header() {
        if (cookies.isEmpty()) {
            return null;
        }
        StringBuilder sb = new StringBuilder();
        cookies.forEach((k, v) ->
                sb.append(sb.length() == 0 ? "" : "; ").append(k).append('=').append(v));
        return sb.toString();
    }

    /** Takes in a response's Set-Cookie values; an empty or expired value removes the cookie. */
    public synchronized void absorb(List<String> setCookies) {
        for (String c : setCookies) {
            String nameValue = c.split(";", 2)[0];
            int eq = nameValue.indexOf('=');
            if (eq <= 0) {
                continue;
            }
            String key = nameValue.substring(0, eq).trim();
            String value = nameValue.substring(eq + 1).trim();
            if (value.isEmpty() || c.toLowerCase(Locale.ROOT).contains("max-age=0")) {
                cookies.remove(key);
            } else {
                cookies.put(key, value);
            }
        }
    }

    @Override
    public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) {
        String header = header();
        return header == null ? Map.of() : Map.of("Cookie", List.of(header));
    }

    @Override
    public void put(URI uri, Map<String, List<String>> responseHeaders) {
        responseHeaders.forEach((name, values) -> {
            if (name != null && name.equalsIgnoreCase("Set-Cookie")) {
                absorb(values);
            }
        });
    }
}
