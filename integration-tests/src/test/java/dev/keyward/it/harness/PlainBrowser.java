package dev.keyward.it.harness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A browser without JavaScript, the one the load driver ({@link LoginDriver}), the timing benchmark
 * and the cluster tests share: one cookie jar, and the redirects that stay inside Keycloak
 * followed by hand, so the one to the client (with the code) comes back to the caller. The
 * HttpClient is passed in so that many short-lived browsers (one per login or attempt) can share
 * one client's kept-alive connections.
 *
 * <p>In front of a cluster, {@code base} is the public address every node puts in its pages and
 * redirects; {@link #target} sends the requests under it to one node instead, as a load balancer
 * the test steers would.
 */
public final class PlainBrowser {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
    /** A login's redirects inside Keycloak are one or two; more means a loop. */
    private static final int MAX_HOPS = 5;

    private final HttpClient http;
    private final URI base;
    private final CookieJar cookies = new CookieJar();
    private URI node;

    /** @param http shared by many browsers if they should share connections ({@link #newHttpClient()}) */
    public PlainBrowser(HttpClient http, URI base) {
        this.http = http;
        this.base = base;
        this.node = base;
    }

    /** HTTP/1.1 (no h2c upgrade attempt on plain http), redirects left to {@link #follow}. */
    public static HttpClient newHttpClient() {
        return HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /** The node the next requests under {@code base} go to; returns this browser. */
    public PlainBrowser target(URI node) {
        this.node = node;
        return this;
    }

    /** GET, then the redirects inside Keycloak. */
    public HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return follow(send(HttpRequest.newBuilder(URI.create(url)).GET()));
    }

    /** A form POST, then the redirects inside Keycloak. */
    public HttpResponse<String> post(String url, Map<String, String> fields) throws IOException, InterruptedException {
        return follow(send(form(url, fields)));
    }

    /** {@code r}'s redirects that stay under {@code base}, followed on the current node. */
    public HttpResponse<String> follow(HttpResponse<String> r) throws IOException, InterruptedException {
        for (int hops = 0;
                hops < MAX_HOPS
                        && r.statusCode() == 302
                        && r.headers().firstValue("Location").orElse("").startsWith(base.toString());
                hops++) {
            r = send(HttpRequest.newBuilder(
                            URI.create(r.headers().firstValue("Location").get()))
                    .GET());
        }
        return r;
    }

    /** One request with this browser's cookies, redirects not followed. */
    public HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String cookie = cookies.header();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpRequest built = request.timeout(REQUEST_TIMEOUT).build();
        String url = built.uri().toString();
        if (!node.equals(base) && url.startsWith(base.toString())) {
            built = HttpRequest.newBuilder(built, (name, value) -> true)
                    .uri(URI.create(node + url.substring(base.toString().length())))
                    .build();
        }
        HttpResponse<String> r = http.send(built, HttpResponse.BodyHandlers.ofString());
        cookies.absorb(r.headers().allValues("Set-Cookie"));
        return r;
    }

    /** A POST of {@code fields} as an HTML form does, for {@link #send} or a bare client. */
    public static HttpRequest.Builder form(String url, Map<String, String> fields) {
        return HttpRequest.newBuilder(URI.create(url))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(fields)));
    }
}
