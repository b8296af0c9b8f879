package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.CpuClock;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.RecordingUpstream;
import dev.keyward.it.harness.VaultApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The header proxy's cost (docs/performance.md, "Header proxy"), not a test: {@code -Pproxy-bench}
 * runs only this. One body of {@code keyward.bench.proxy.bytes} (1 GiB) from a local upstream,
 * fetched directly and through the proxy, alternately, {@code keyward.bench.proxy.rounds} (3) times
 * each; the Keycloak JVM's heap in use (its own /metrics, every 50 ms) during the proxied
 * fetches against its level after a full GC before them; then small GETs, direct and proxied,
 * alternately, for the latency the proxy adds. All numbers come from one run on one machine.
 */
class HeaderProxyBenchmark {
    private static final long BYTES =
            Long.parseLong(ItConfig.get("keyward.bench.proxy.bytes", Long.toString(1L << 30)));
    private static final int ROUNDS = Integer.parseInt(ItConfig.get("keyward.bench.proxy.rounds", "3"));
    private static final int SMALL = Integer.parseInt(ItConfig.get("keyward.bench.proxy.small", "2000"));
    private static final String REALM = "keyward-proxy-bench";
    private static final String CLIENT = ItConfig.get("keyward.bench.proxy.client", "curl");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static RecordingUpstream upstream;
    private static long whole;

    @Test
    void streamingAndLatency() throws Exception {
        run(BYTES, ROUNDS, SMALL);
    }

    /**
     * The whole benchmark with these sizes (the smoke variant, {@link HeaderProxyBenchmarkSmokeIT},
     * runs it tiny); every fetch asserts its status and the body's full size.
     */
    static void run(long bytes, int rounds, int smallCount) throws Exception {
        whole = bytes;
        upstream = new RecordingUpstream(bytes);
        try {
            measure(bytes, rounds, smallCount);
        } finally {
            upstream.close();
        }
    }

    private static void measure(long bytes, int rounds, int smallCount) throws Exception {
        KeycloakServer keycloak = KeycloakServer.get();
        String token = setUp(keycloak);
        long pid = keycloak.jvm().pid();
        URI direct = URI.create(upstream.baseUrl() + "/api/files/big.bin");
        URI proxied = keycloak.baseUri().resolve("/realms/" + REALM + "/header-proxy/bench/files/big.bin");
        URI metrics = keycloak.managementUri().resolve("/metrics");

        for (int i = 0; i < 3; i++) {
            fetch(direct, null, Math.min(bytes, 256L << 20));
            fetch(proxied, token, Math.min(bytes, 256L << 20));
        }
        // throughput rounds: nothing else talks to Keycloak while they run
        CpuClock clock = new CpuClock();
        long self = ProcessHandle.current().pid();
        List<Fetch> directFetches = new ArrayList<>();
        List<Fetch> proxyFetches = new ArrayList<>();
        for (int round = 0; round < rounds; round++) {
            directFetches.add(Fetch.of(clock, pid, self, bytes, () -> fetch(direct, null, bytes)));
            proxyFetches.add(Fetch.of(clock, pid, self, bytes, () -> fetch(proxied, token, bytes)));
        }
        List<Double> directRates =
                directFetches.stream().map(Fetch::mbPerSecond).toList();
        List<Double> proxyRates = proxyFetches.stream().map(Fetch::mbPerSecond).toList();

        // heap rounds, apart: their sampler reads Keycloak's /metrics every 50 ms and forces a full GC,
        // which costs Keycloak CPU that the throughput rounds must not pay
        long baseline = Long.MAX_VALUE;
        AtomicLong midStream = new AtomicLong(Long.MIN_VALUE);
        long peak = 0;
        for (int round = 0; round < rounds; round++) {
            jcmd(pid, "GC.run");
            long before = heapUsed(metrics);
            baseline = Math.min(baseline, before);
            AtomicLong max = new AtomicLong(before);
            ScheduledExecutorService sampler = Executors.newScheduledThreadPool(2);
            sampler.scheduleAtFixedRate(
                    () -> max.accumulateAndGet(heapUsed(metrics), Math::max), 0, 50, TimeUnit.MILLISECONDS);
            // a full GC while the body streams: what is left is what the proxy really holds on to
            sampler.schedule(
                    () -> {
                        jcmd(pid, "GC.run");
                        midStream.accumulateAndGet(heapUsed(metrics) - before, Math::max);
                    },
                    800,
                    TimeUnit.MILLISECONDS);
            try {
                fetch(proxied, token, bytes);
            } finally {
                sampler.shutdownNow();
                sampler.awaitTermination(5, TimeUnit.SECONDS);
            }
            peak = Math.max(peak, max.get() - before);
        }
        jcmd(pid, "GC.run");
        long after = heapUsed(metrics);

        URI smallDirect = URI.create(upstream.baseUrl() + "/api/echo/small");
        URI smallProxied = keycloak.baseUri().resolve("/realms/" + REALM + "/header-proxy/bench/echo/small");
        for (int i = 0; i < smallCount / 4; i++) {
            small(smallDirect, null);
            small(smallProxied, token);
        }
        long[] d = new long[smallCount];
        long[] p = new long[smallCount];
        for (int i = 0; i < smallCount; i++) {
            d[i] = small(smallDirect, null);
            p[i] = small(smallProxied, token);
        }
        Arrays.sort(d);
        Arrays.sort(p);

        if (Boolean.parseBoolean(ItConfig.get("keyward.bench.proxy.profile", "false"))) {
            // where the Keycloak JVM's time goes (JFR); profiled runs' numbers are not the benchmark's
            ServerProfile profiler =
                    new ServerProfile(pid, java.nio.file.Path.of(ItConfig.get("keyward.it.work.dir", "target")));
            profiler.start("proxy-stream", "profile");
            fetch(proxied, token, bytes);
            System.out.println(ServerProfile.summary("proxied stream", List.of(profiler.stop("proxy-stream")), 25));
            profiler.start("proxy-small", "profile");
            for (int i = 0; i < smallCount; i++) {
                small(smallProxied, token);
            }
            System.out.println(ServerProfile.summary("proxied small GETs", List.of(profiler.stop("proxy-small")), 25));
        }
        double directMedian = median(directRates);
        double proxyMedian = median(proxyRates);
        System.out.printf(
                "%nheader proxy benchmark: %d bytes x %d rounds (client %s); %d small GETs%n",
                bytes, rounds, CLIENT, smallCount);
        System.out.printf("  direct  MB/s per round %s, median %.0f%n", rates(directRates), directMedian);
        System.out.printf("  proxied MB/s per round %s, median %.0f%n", rates(proxyRates), proxyMedian);
        System.out.printf("  throughput ratio proxied/direct: %.2f%n", proxyMedian / directMedian);
        System.out.println("  CPU per GB (10^9 bytes) moved, ms, over all throughput rounds (user + kernel):");
        System.out.println("    " + Fetch.cpuPerGigabyte("direct ", clock, directFetches));
        System.out.println("    " + Fetch.cpuPerGigabyte("proxied", clock, proxyFetches));
        System.out.printf(
                "  Keycloak heap: after GC %.1f MiB; largest rise during a proxied fetch %.1f MiB;"
                        + " after the fetches and a GC %.1f MiB (%+.1f MiB)%n",
                mib(baseline), mib(peak), mib(after), mib(after - baseline));
        if (midStream.get() == Long.MIN_VALUE) {
            System.out.println("  (every proxied fetch ended before the full GC in its middle)");
        } else {
            System.out.printf(
                    "  Keycloak heap after a full GC in the middle of a proxied fetch: %+.1f MiB against before it%n",
                    mib(midStream.get()));
        }
        System.out.printf(
                "  small GET direct  p50 %.2f ms, p95 %.2f ms%n", ms(d[smallCount / 2]), ms(d[smallCount * 95 / 100]));
        System.out.printf(
                "  small GET proxied p50 %.2f ms, p95 %.2f ms%n", ms(p[smallCount / 2]), ms(p[smallCount * 95 / 100]));
        System.out.printf(
                "  added p50 %.2f ms, p95 %.2f ms%n%n",
                ms(p[smallCount / 2] - d[smallCount / 2]), ms(p[smallCount * 95 / 100] - d[smallCount * 95 / 100]));
    }

    /** One timed fetch and the CPU spent meanwhile: Keycloak's, this JVM's (the upstream), the machine's. */
    private record Fetch(double mbPerSecond, long bytes, CpuClock.Snapshot cpu) {
        interface Body {
            double run() throws IOException, InterruptedException;
        }

        static Fetch of(CpuClock clock, long keycloak, long self, long bytes, Body body)
                throws IOException, InterruptedException {
            CpuClock.Snapshot before = clock.snapshot(keycloak, self);
            double rate = body.run();
            return new Fetch(rate, bytes, clock.snapshot(keycloak, self).minus(before));
        }

        /**
         * Machine, Keycloak, this JVM (the upstream, and the client when it is the JDK's) and the
         * rest (curl, PostgreSQL, anything else), each as user + kernel ms per GB; and how idle the
         * machine was. When the machine is busy throughout, throughput is 1 / (machine CPU per byte).
         */
        static String cpuPerGigabyte(String label, CpuClock clock, List<Fetch> fetches) {
            long[] t = new long[7]; // machine u, s, idle; keycloak u, s; self u, s
            long bytes = 0;
            for (Fetch f : fetches) {
                CpuClock.Snapshot c = f.cpu();
                t[0] += c.machineUser();
                t[1] += c.machineSystem();
                t[2] += c.machineIdle();
                t[3] += c.processUser()[0];
                t[4] += c.processSystem()[0];
                t[5] += c.processUser()[1];
                t[6] += c.processSystem()[1];
                bytes += f.bytes();
            }
            double gb = bytes / 1e9;
            java.util.function.LongFunction<String> ms =
                    ticks -> String.format(java.util.Locale.ROOT, "%.0f", clock.ticksToMillis(ticks) / gb);
            return String.format(
                    java.util.Locale.ROOT,
                    "%s machine %s + %s (idle %.0f%%); Keycloak %s + %s; upstream JVM %s + %s; rest %s + %s",
                    label,
                    ms.apply(t[0]),
                    ms.apply(t[1]),
                    100.0 * t[2] / (t[0] + t[1] + t[2]),
                    ms.apply(t[3]),
                    ms.apply(t[4]),
                    ms.apply(t[5]),
                    ms.apply(t[6]),
                    ms.apply(t[0] - t[3] - t[5]),
                    ms.apply(t[1] - t[4] - t[6]));
        }
    }

    private static String setUp(KeycloakServer keycloak) {
        AdminApi admin = new AdminApi(keycloak);
        VaultApi vault = new VaultApi(keycloak);
        admin.createProxyRealm(REALM, "bench-cli", List.of());
        Map<String, Object> proxy = new LinkedHashMap<>();
        proxy.put("baseUrl", upstream.baseUrl() + "/api");
        proxy.put("allowHttp", true);
        proxy.put("privateRanges", List.of("127.0.0.1/32"));
        proxy.put("pathPrefixes", List.of("/files/", "/echo/"));
        proxy.put("passThroughHeaders", List.of("Range"));
        proxy.put("rateLimit", Map.of("requests", 100_000, "windowSeconds", 60));
        admin.send(
                "PUT",
                "/admin/realms/" + REALM + "/keyward-vault/providers/bench",
                Map.of("displayName", "Bench", "credentialKind", "bearer", "proxy", proxy));
        String password = KeycloakServer.randomSecret();
        admin.createUser(REALM, "bench", "bench@example.test", password);
        admin.updateRealm(REALM, Map.of("accessTokenLifespan", 3600));
        String token = vault.userToken(REALM, "bench-cli", "bench", password);
        assertEquals(
                201,
                vault.userJson("PUT", REALM, "credentials/bench", token, Map.of("secret", "bench-upstream-token"))
                        .status());
        return token;
    }

    /**
     * @return MB/s (10^6 bytes) for the first {@code bytes} of the body, fetched with curl (the
     *         default: its per-byte cost is small, so the two servers' costs are what is compared)
     *         or with the JDK's HttpClient ({@code -Dkeyward.bench.proxy.client=java})
     */
    private static double fetch(URI uri, String token, long bytes) throws IOException, InterruptedException {
        return CLIENT.equals("curl") ? curl(uri, token, bytes) : javaFetch(uri, token, bytes);
    }

    /** A fetch of less than the whole body is a range (the warm-up). */
    private static boolean partial(long bytes) {
        return bytes < whole;
    }

    private static double curl(URI uri, String token, long bytes) throws IOException, InterruptedException {
        java.nio.file.Path headers = java.nio.file.Files.createTempFile("bench", ".headers");
        try {
            // the token goes in a file, not on the command line, where any local user could read it
            java.nio.file.Files.writeString(headers, token == null ? "" : "Authorization: Bearer " + token + "\n");
            List<String> command = new ArrayList<>(List.of(
                    "curl",
                    "-sS",
                    "-o",
                    "/dev/null",
                    "-w",
                    "%{http_code} %{size_download} %{time_total}",
                    "-H",
                    "@" + headers));
            if (partial(bytes)) {
                command.addAll(List.of("-r", "0-" + (bytes - 1))); // warm-up: a range (the provider passes Range on)
            }
            command.add(uri.toString());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8).trim();
            assertEquals(0, p.waitFor(), out);
            String[] parts = out.split(" ");
            assertEquals(partial(bytes) ? "206" : "200", parts[0], out);
            assertEquals(bytes, Long.parseLong(parts[1]), out);
            return Double.parseDouble(parts[1]) / 1e6 / Double.parseDouble(parts[2]);
        } finally {
            java.nio.file.Files.deleteIfExists(headers);
        }
    }

    private static double javaFetch(URI uri, String token, long bytes) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        HttpResponse<InputStream> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        assertEquals(200, r.statusCode());
        long got = 0;
        byte[] buffer = new byte[256 * 1024];
        try (InputStream in = r.body()) {
            int n;
            while (got < bytes && (n = in.read(buffer)) > 0) {
                got += n;
            }
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        return got / 1e6 / seconds;
    }

    private static long small(URI uri, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        long start = System.nanoTime();
        HttpResponse<Void> r = HTTP.send(b.build(), HttpResponse.BodyHandlers.discarding());
        long took = System.nanoTime() - start;
        assertEquals(200, r.statusCode());
        return took;
    }

    /** The JVM's heap in use: the sum of jvm_memory_used_bytes over its heap pools. */
    private static long heapUsed(URI metrics) {
        try {
            String body = HTTP.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString())
                    .body();
            return (long) body.lines()
                    .filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                    .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                    .sum();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static void jcmd(long pid, String command) {
        try {
            Process p = new ProcessBuilder("jcmd", Long.toString(pid), command)
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            assertEquals(0, p.waitFor());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static String rates(List<Double> values) {
        return values.stream().map(v -> String.format("%.0f", v)).toList().toString();
    }

    private static double mib(long bytes) {
        return bytes / 1024.0 / 1024.0;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }
}
