package dev.keyward.it.harness;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real upstream for the header proxy (the JDK's HttpServer on 127.0.0.1, or another loopback
 * address) that records every
 * request it gets (method, raw path and query, headers, body size) and answers like a small media
 * API under {@code /api/}:
 * <ul>
 *   <li>{@code files/big.bin}: {@link #bigFileSize} deterministic bytes, with single byte ranges
 *       (206), an ETag and If-None-Match (304), and HEAD</li>
 *   <li>{@code echo/...}: 200, a short text body, and headers a client must never see (Set-Cookie,
 *       X-Internal-Token, a Server header)</li>
 *   <li>{@code upload}: reads the body and answers 201</li>
 *   <li>{@code redirect?to=URL}: 302 to that URL</li>
 *   <li>{@code slow}: answers after 6 seconds</li>
 *   <li>{@code hold}: sends headers and one byte, then holds the body open until {@link #releaseHolds}</li>
 * </ul>
 */
public final class RecordingUpstream implements AutoCloseable {
    /** One request as the upstream saw it; header names lower-case. */
    public record Seen(
            String method, String rawPath, String rawQuery, Map<String, List<String>> headers, long bodyBytes) {
        public String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(",", v);
        }
    }

    public static final String ETAG = "\"big-v1\"";

    final long bigFileSize;
    private final String host;
    private final HttpServer server;
    private final ConcurrentLinkedQueue<Seen> seen = new ConcurrentLinkedQueue<>();
    private volatile CountDownLatch holds = new CountDownLatch(1);

    static {
        // Without it the JDK's server writes headers and body as two small segments and Nagle's
        // algorithm holds the second until the client's delayed ACK: 40 ms per small answer.
        System.setProperty("sun.net.httpserver.nodelay", "true");
    }

    public RecordingUpstream(long bigFileSize) throws IOException {
        this(bigFileSize, "127.0.0.1");
    }

    /** @param bindAddress an IPv4 literal, e.g. 127.0.0.2 for an upstream outside what the tests' operator allows */
    public RecordingUpstream(long bigFileSize, String bindAddress) throws IOException {
        this.bigFileSize = bigFileSize;
        this.host = bindAddress;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getByName(bindAddress), 0), 64);
        server.createContext("/", this::handle);
        server.setExecutor(Executors.newCachedThreadPool());
        server.start();
    }

    public int port() {
        return server.getAddress().getPort();
    }

    public String baseUrl() {
        return "http://" + host + ":" + port();
    }

    public List<Seen> seen() {
        return List.copyOf(seen);
    }

    public List<Seen> seenPath(String rawPath) {
        return seen.stream().filter(s -> s.rawPath().equals(rawPath)).toList();
    }

    public void forget() {
        seen.clear();
    }

    public void releaseHolds() {
        holds.countDown();
        holds = new CountDownLatch(1);
    }

    /** big.bin repeats this pattern; its length is prime, so no range lines up with it by accident. */
    private static final byte[] PATTERN = new byte[65_521];

    static {
        for (int i = 0; i < PATTERN.length; i++) {
            PATTERN[i] = (byte) ((i * 31 + (i >>> 7)) & 0xff);
        }
    }

    /** The byte at {@code offset} of big.bin. */
    public static byte bigByte(long offset) {
        return PATTERN[(int) (offset % PATTERN.length)];
    }

    private void handle(HttpExchange ex) throws IOException {
        long bodyBytes;
        try (InputStream in = ex.getRequestBody()) {
            bodyBytes = in.transferTo(OutputStream.nullOutputStream());
        }
        Map<String, List<String>> headers = new TreeMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), List.copyOf(v)));
        String path = ex.getRequestURI().getRawPath();
        seen.add(new Seen(ex.getRequestMethod(), path, ex.getRequestURI().getRawQuery(), headers, bodyBytes));
        Headers out = ex.getResponseHeaders();
        try {
            if (path.equals("/api/files/big.bin")) {
                big(ex, out);
            } else if (path.startsWith("/api/echo")) {
                out.add("Set-Cookie", "upstream-session=abc; Path=/");
                out.add("X-Internal-Token", "internal-123");
                out.add("Server", "recording-upstream");
                out.add("Cache-Control", "no-cache");
                text(ex, 200, "echo " + ex.getRequestMethod());
            } else if (path.equals("/api/upload")) {
                text(ex, 201, "got " + bodyBytes);
            } else if (path.equals("/api/redirect")) {
                String to = ex.getRequestURI().getQuery().substring("to=".length());
                out.add("Location", to);
                ex.sendResponseHeaders(302, -1);
            } else if (path.equals("/api/slow")) {
                Thread.sleep(6_000);
                text(ex, 200, "late");
            } else if (path.equals("/api/hold")) {
                ex.sendResponseHeaders(200, 0);
                OutputStream body = ex.getResponseBody();
                body.write('x');
                body.flush();
                holds.await(60, TimeUnit.SECONDS);
                body.close();
            } else {
                text(ex, 404, "no such thing");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            ex.close();
        }
    }

    private void big(HttpExchange ex, Headers out) throws IOException {
        out.add("ETag", ETAG);
        out.add("Accept-Ranges", "bytes");
        out.add("Content-Type", "application/octet-stream");
        out.add("Set-Cookie", "tracking=1");
        if (ETAG.equals(ex.getRequestHeaders().getFirst("If-None-Match"))) {
            ex.sendResponseHeaders(304, -1);
            return;
        }
        long from = 0;
        long to = bigFileSize - 1;
        int status = 200;
        String range = ex.getRequestHeaders().getFirst("Range");
        if (range != null && range.matches("bytes=\\d+-\\d+")) {
            String[] parts = range.substring(6).split("-");
            from = Long.parseLong(parts[0]);
            to = Math.min(Long.parseLong(parts[1]), bigFileSize - 1);
            status = 206;
            out.add("Content-Range", "bytes " + from + "-" + to + "/" + bigFileSize);
        }
        long length = to - from + 1;
        if (ex.getRequestMethod().equals("HEAD")) {
            out.add("Content-Length", Long.toString(length));
            ex.sendResponseHeaders(status, -1);
            return;
        }
        ex.sendResponseHeaders(status, length);
        try (OutputStream body = ex.getResponseBody()) {
            long offset = from;
            while (offset <= to) {
                int at = (int) (offset % PATTERN.length);
                int n = (int) Math.min(PATTERN.length - at, to - offset + 1);
                body.write(PATTERN, at, n);
                offset += n;
            }
        }
    }

    private static void text(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "text/plain; charset=utf-8");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        holds.countDown();
        server.stop(0);
    }
}
