package dev.keyward.it.harness;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The relying party's redirect target: a tiny HTTP server on 127.0.0.1 and a free port that
 * records the first request to {@code /callback} (the authorization response) and answers with a
 * small page. A free port rather than the demo's 8081, so a developer's running demo app or a
 * parallel build cannot break the tests; the test registers this exact URI on the client.
 */
public final class CallbackServer implements AutoCloseable {
    private final HttpServer server;
    private final CompletableFuture<URI> received = new CompletableFuture<>();

    public CallbackServer() {
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server.createContext("/callback", exchange -> {
            received.complete(redirectUri().resolve(exchange.getRequestURI()));
            byte[] page = "<!doctype html><title>Keyward test callback</title><p>received</p>"
                    .getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, page.length);
            exchange.getResponseBody().write(page);
            exchange.close();
        });
        server.start();
    }

    public URI redirectUri() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/callback");
    }

    /** The full URI the browser was redirected to (with code, state, iss). */
    public URI awaitRedirect(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            return received.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
