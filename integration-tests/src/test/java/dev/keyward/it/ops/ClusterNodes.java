package dev.keyward.it.ops;

import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.PostgresDatabase;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Two Keycloak nodes of one cluster on 127.0.0.1, for the cluster, load and fault tests: each its
 * own copy of the distribution started with {@code kc.sh start} (production mode), one shared
 * PostgreSQL database, Keycloak's own clustering (Infinispan, JDBC_PING discovery through that
 * database), the same pack secrets. The cluster's public address is a load balancer that does not
 * exist: every node puts it in its URLs and tokens, and the tests send each request to the node
 * they choose. Started by the first test that asks, stopped (and the database dropped) when the
 * JVM exits. Logs: {@code target/cluster-a.log}, {@code target/cluster-b.log}.
 */
public final class ClusterNodes {
    private static ClusterNodes instance;
    private static RuntimeException startFailure;

    private final PostgresDatabase database = PostgresDatabase.create();
    private final URI publicBase = URI.create("http://localhost:" + KeycloakServer.freePort());
    private final KeycloakServer a;
    private final KeycloakServer b;

    private ClusterNodes() {
        String adminPassword = KeycloakServer.randomSecret();
        Map<String, String> secrets = Map.of(
                "KC_SPI_KEYWARD_OPAQUE_KEYS__DEFAULT__SETUP_SECRET",
                random32(),
                "KC_SPI_KEYWARD_VAULT__DEFAULT__KEYS",
                "k1:" + random32(),
                "KC_SPI_KEYWARD_API_TOKENS__DEFAULT__KEYS",
                "t1:" + random32());
        int portA = jgroupsPort(-1);
        a = KeycloakServer.clusterNode(
                "cluster-a",
                database,
                new KeycloakServer.ClusterSettings(publicBase, portA, secrets, adminPassword, true));
        b = KeycloakServer.clusterNode(
                "cluster-b",
                database,
                new KeycloakServer.ClusterSettings(publicBase, jgroupsPort(portA), secrets, adminPassword, false));
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            a.stop();
                            b.stop();
                            database.close();
                        },
                        "cluster-stop"));
    }

    static synchronized ClusterNodes get() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (instance == null) {
            ClusterNodes cluster = new ClusterNodes();
            try {
                // one after the other: the first creates the schema and imports the realms alone
                cluster.a.startNode();
                cluster.b.startNode();
                cluster.awaitMembers(Duration.ofMinutes(2));
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            instance = cluster;
        }
        return instance;
    }

    /** The load balancer's address: the hostname of both nodes, the issuer's prefix. */
    URI publicBase() {
        return publicBase;
    }

    KeycloakServer a() {
        return a;
    }

    KeycloakServer b() {
        return b;
    }

    /** An admin client on a running node (node A unless it is down). */
    AdminApi admin() {
        return new AdminApi(a.isRunning() ? a : b);
    }

    /** Either node's base URL, {@code 0} for A and {@code 1} for B. */
    URI node(int i) {
        return (i % 2 == 0 ? a : b).baseUri();
    }

    /** Waits until both nodes' logs report a cluster view of two members. */
    void awaitMembers(Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        while (!(viewOfTwo(a) && viewOfTwo(b))) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("the nodes did not form a cluster of two within " + timeout + "; see "
                        + a.logFile() + " and " + b.logFile());
            }
            KeycloakServer.sleep(Duration.ofMillis(500));
        }
    }

    /** Infinispan logs each new view as "ISPN000094: Received new cluster view for channel ISPN: [...] (2) [...]". */
    static boolean viewOfTwo(KeycloakServer node) {
        try {
            List<String> views = Files.readAllLines(node.logFile()).stream()
                    .filter(l -> l.contains("ISPN000094"))
                    .toList();
            return !views.isEmpty() && views.get(views.size() - 1).contains("(2)");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A JGroups port with room above it: JGroups' failure detection (FD_SOCK2) listens at the bind
     * port + 50000, so both must be free; below Linux's ephemeral range for the same reason as
     * {@link KeycloakServer#freePort()}.
     */
    private static int jgroupsPort(int other) {
        for (int i = 0; i < 200; i++) {
            int port = ThreadLocalRandom.current().nextInt(7800, 15000);
            if (Math.abs(port - other) > 10 && free(port) && free(port + 50000)) {
                return port;
            }
        }
        throw new IllegalStateException("no free JGroups port between 7800 and 15000");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static String random32() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return Base64.getEncoder().encodeToString(b);
    }
}
