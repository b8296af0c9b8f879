package dev.keyward.it.ops;

import dev.keyward.it.harness.CookieJar;
import dev.keyward.it.harness.Forms;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A browser without JavaScript in front of a cluster: one cookie jar, and every request sent to
 * the node the caller names, whatever address the page put in its URL (the cluster's public
 * address). Redirects inside Keycloak are followed on the same node; the one to the client is not.
 */
public final class ClusterBrowser {
    private final URI publicBase;
    private final CookieJar cookies = new CookieJar();
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();

    ClusterBrowser(URI publicBase) {
        this.publicBase = publicBase;
    }

    HttpResponse<String> get(String url, URI node) throws IOException, InterruptedException {
        return follow(send(HttpRequest.newBuilder(on(url, node)).GET()), node);
    }

    HttpResponse<String> post(String url, Map<String, String> fields, URI node)
            throws IOException, InterruptedException {
        return follow(
                send(HttpRequest.newBuilder(on(url, node))
                        .header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString(Forms.encode(fields)))),
                node);
    }

    /** {@code url} with the public address replaced by {@code node}'s. */
    private URI on(String url, URI node) {
        return URI.create(
                url.startsWith(publicBase.toString())
                        ? node + url.substring(publicBase.toString().length())
                        : url);
    }

    private HttpResponse<String> follow(HttpResponse<String> r, URI node) throws IOException, InterruptedException {
        for (int hops = 0;
                hops < 5
                        && r.statusCode() == 302
                        && r.headers().firstValue("Location").orElse("").startsWith(publicBase.toString());
                hops++) {
            r = send(
                    HttpRequest.newBuilder(on(r.headers().firstValue("Location").get(), node))
                            .GET());
        }
        return r;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
        String cookie = cookies.header();
        if (cookie != null) {
            request.header("Cookie", cookie);
        }
        HttpResponse<String> r =
                http.send(request.timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString());
        cookies.absorb(r.headers().allValues("Set-Cookie"));
        return r;
    }
}
