package dev.keyward.it.ops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginDriver;
import dev.keyward.it.harness.LoginVariant;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Load and a database fault on the two-node cluster ({@link ClusterNodes}), loopback only and
 * bounded in time: 200 users logging in with OPAQUE at once for two minutes, half through each
 * node, with no error at all; then logins under load while the local PostgreSQL restarts, after
 * which both nodes serve logins again by themselves. Runs in the {@code ops} profile. Sizes:
 * {@code keyward.ops.users} (400), {@code keyward.ops.concurrency} (200), {@code keyward.ops.load.seconds} (120).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LoadAndFaultIT {
    private static final int USERS = Integer.parseInt(ItConfig.get("keyward.ops.users", "400"));
    private static final int CONCURRENCY = Integer.parseInt(ItConfig.get("keyward.ops.concurrency", "200"));
    private static final Duration LOAD =
            Duration.ofSeconds(Long.parseLong(ItConfig.get("keyward.ops.load.seconds", "120")));
    /** The restart window: load before, during and after the restart. */
    private static final Duration FAULT_LOAD = Duration.ofSeconds(90);

    private static final Duration BEFORE_RESTART = Duration.ofSeconds(20);
    /** After PostgreSQL is back, the nodes get this long to recover; every login ending later must succeed. */
    private static final Duration RECOVERY = Duration.ofSeconds(30);

    private static ClusterNodes cluster;
    private static LoginBenchRealms realms;

    @BeforeAll
    static void setUp() throws Exception {
        cluster = ClusterNodes.get();
        AtomicInteger next = new AtomicInteger();
        // users register through both nodes, one thread on each
        realms = LoginBenchRealms.create(cluster.admin(), "load", USERS, 8, EnumSet.of(LoginVariant.OPAQUE), () -> {
            URI node = cluster.node(next.getAndIncrement());
            return new LoginDriver(cluster.publicBase(), step -> node);
        });
    }

    @Test
    @Order(1)
    void twoHundredConcurrentUsersForTwoMinutesWithoutAnError() throws Exception {
        NodeWarnings warnings = NodeWarnings.from(cluster);
        List<TimedLoad.Outcome> outcomes = TimedLoad.run(realms, CONCURRENCY, LOAD, this::driverOnNodeOf, () -> {});
        String summary = TimedLoad.summary(outcomes, LOAD);
        System.out.println("load, " + CONCURRENCY + " concurrent users on 2 nodes: " + summary);
        List<String> errors = outcomes.stream()
                .filter(o -> !o.ok())
                .map(TimedLoad.Outcome::error)
                .limit(5)
                .toList();
        if (!errors.isEmpty() || outcomes.size() < CONCURRENCY) {
            // the client sees only a status and a page; why the node refused is in its log
            warnings.print();
        }
        assertEquals(List.of(), errors, summary);
        assertTrue(outcomes.size() >= CONCURRENCY, "not every user got through once: " + summary);
    }

    @Test
    @Order(2)
    void bothNodesRecoverFromAPostgresRestartUnderLoad() throws Exception {
        AtomicLong restartStart = new AtomicLong();
        AtomicLong restartEnd = new AtomicLong();
        NodeWarnings warnings = NodeWarnings.from(cluster);
        long t0 = System.nanoTime();
        List<TimedLoad.Outcome> outcomes = TimedLoad.run(realms, 20, FAULT_LOAD, this::driverOnNodeOf, () -> {
            KeycloakServer.sleep(BEFORE_RESTART);
            restartStart.set((System.nanoTime() - t0) / 1_000_000);
            restartPostgres();
            restartEnd.set((System.nanoTime() - t0) / 1_000_000);
        });
        long recovered = restartEnd.get() + RECOVERY.toMillis();
        List<TimedLoad.Outcome> before = outcomes.stream()
                .filter(o -> o.endMillis() < restartStart.get())
                .toList();
        List<TimedLoad.Outcome> during = outcomes.stream()
                .filter(o -> o.endMillis() >= restartStart.get() && o.endMillis() < recovered)
                .toList();
        List<TimedLoad.Outcome> after =
                outcomes.stream().filter(o -> o.endMillis() >= recovered).toList();
        System.out.printf(
                "PostgreSQL restart from %d to %d ms: before %s; during and %d s after: %d logins, %d errors %s; after: %s%n",
                restartStart.get(),
                restartEnd.get(),
                TimedLoad.summary(before, BEFORE_RESTART),
                RECOVERY.toSeconds(),
                during.size(),
                during.stream().filter(o -> !o.ok()).count(),
                during.stream()
                        .filter(o -> !o.ok())
                        .map(TimedLoad.Outcome::error)
                        .limit(3)
                        .toList(),
                TimedLoad.summary(after, Duration.ofMillis(Math.max(1000, FAULT_LOAD.toMillis() - recovered))));
        try {
            assertRecovered(before, after);
        } catch (AssertionError e) {
            warnings.print();
            throw e;
        }
    }

    private static void assertRecovered(List<TimedLoad.Outcome> before, List<TimedLoad.Outcome> after)
            throws Exception {
        assertTrue(before.stream().allMatch(TimedLoad.Outcome::ok), "errors before the restart");
        assertTrue(after.size() >= 20, "too few logins after recovery: " + after.size());
        assertEquals(
                List.of(),
                after.stream()
                        .filter(o -> !o.ok())
                        .map(TimedLoad.Outcome::error)
                        .limit(5)
                        .toList(),
                "errors more than " + RECOVERY.toSeconds() + " s after PostgreSQL was back");
        for (KeycloakServer node : List.of(cluster.a(), cluster.b())) {
            assertEquals(200, ready(node), node.baseUri() + " is not ready");
        }
    }

    private LoginDriver driverOnNodeOf(int worker) {
        URI node = cluster.node(worker);
        return new LoginDriver(cluster.publicBase(), step -> node);
    }

    /** Restarts the PostgreSQL cluster that listens on 5432 (fast mode: open connections are cut). */
    private static void restartPostgres() {
        try {
            Process list = new ProcessBuilder("pg_lsclusters", "-h")
                    .redirectErrorStream(true)
                    .start();
            String clusters = new String(list.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            String[] fields = clusters.lines()
                    .map(l -> l.trim().split("\\s+"))
                    .filter(f -> f.length > 2 && f[2].equals("5432"))
                    .findFirst()
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL cluster on 5432: " + clusters));
            Process restart = new ProcessBuilder(
                            "pg_ctlcluster", "--skip-systemctl-redirect", fields[0], fields[1], "restart", "-m", "fast")
                    .redirectErrorStream(true)
                    .start();
            String out = new String(restart.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!restart.waitFor(60, TimeUnit.SECONDS) || restart.exitValue() != 0) {
                throw new IllegalStateException("pg_ctlcluster restart failed: " + out);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot restart PostgreSQL", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static int ready(KeycloakServer node) throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        return http.send(
                        HttpRequest.newBuilder(node.managementUri().resolve("/health/ready"))
                                .build(),
                        HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }
}
