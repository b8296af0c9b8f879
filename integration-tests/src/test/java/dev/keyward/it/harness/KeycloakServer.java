package dev.keyward.it.harness;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One real Keycloak per test JVM: the distribution keycloak-dist built (the pack's providers in
 * providers/, the realm export in data/import), started with {@code kc.sh start-dev --import-realm}
 * like run.sh does, on free ports, against the database {@link TestDatabase#fromConfig()} picks.
 * Started lazily by the first test that asks, stopped (whole process tree) when the JVM exits.
 * Keycloak's output goes to {@code target/keycloak.log}.
 */
public final class KeycloakServer {
    private static final Duration START_TIMEOUT = Duration.parse(ItConfig.get("keyward.it.start.timeout", "PT4M"));
    /**
     * The operator's allowance for provider definitions: the tests' upstreams run on 127.0.0.1
     * (HeaderProxyIT, its benchmark, ClusterIT); 10.20.0.0/16 lets HeaderProxyIT narrow within a listed
     * range. Nothing else: HeaderProxyIT's upstream on 127.0.0.2 stays outside it.
     */
    static final String PROXY_ALLOWED_PRIVATE_RANGES =
            "--spi-realm-restapi-extension--header-proxy--allowed-private-ranges=127.0.0.1/32,10.20.0.0/16";

    private static KeycloakServer instance;
    // a failed start is reported to every later test class instead of being retried for minutes each
    private static RuntimeException startFailure;

    private final Path home;
    private final Path log;
    private final int httpPort;
    private final int managementPort;
    private final String adminUsername = "it-admin";
    private final String adminPassword;
    // what run.sh does too: the realm files' ${KEYWARD_UPSTREAM_SECRET}, substituted by --import-realm
    private final String upstreamSecret = randomSecret();
    private final TestDatabase database;
    /** A cluster node's database belongs to its cluster, which drops it after both nodes stopped. */
    private final boolean ownsDatabase;
    /** Null: start-dev on its own. Else a production-mode cluster node ({@link #clusterNode}). */
    private final ClusterSettings cluster;
    // a dedicated server's extra environment and options (e.g. vault keys), replaced per start
    private Map<String, String> extraEnv = Map.of();
    private List<String> extraArgs = List.of();
    private Process process;
    private boolean stopped;

    /**
     * How a cluster node starts: {@code kc.sh start} (production, Infinispan with JDBC_PING through
     * the shared database) with the public address of the cluster's load balancer as hostname,
     * JGroups on 127.0.0.1 at its own port, and the pack's secrets, the same on every node.
     */
    public record ClusterSettings(
            URI publicBase, int jgroupsPort, Map<String, String> secrets, String adminPassword, boolean importRealm) {}

    private KeycloakServer(Path home, Path log, TestDatabase database) {
        this(home, log, database, true, null);
    }

    private KeycloakServer(Path home, Path log, TestDatabase database, boolean ownsDatabase, ClusterSettings cluster) {
        this.home = home;
        this.log = log;
        this.database = database;
        this.ownsDatabase = ownsDatabase;
        this.cluster = cluster;
        // the first node creates the bootstrap admin; every node must know its password
        this.adminPassword = cluster != null ? cluster.adminPassword() : randomSecret();
        TestSecrets.record(TestSecrets.Kind.PASSWORD, adminPassword);
        TestSecrets.record(TestSecrets.Kind.KEY, upstreamSecret);
        if (cluster != null) {
            cluster.secrets().forEach(TestSecrets::recordConfigured);
        }
        this.httpPort = freePort();
        int management = freePort();
        while (management == httpPort) {
            management = freePort();
        }
        this.managementPort = management;
        try {
            // each server starts a fresh log; a dedicated server's restarts append to it
            Files.deleteIfExists(log);
        } catch (IOException e) {
            throw new IllegalStateException("cannot delete the old " + log, e);
        }
    }

    public static synchronized KeycloakServer get() {
        if (startFailure != null) {
            throw startFailure;
        }
        if (instance == null) {
            Path workDir =
                    Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
            Path source = Path.of(ItConfig.get("keyward.it.keycloak.home", "../keycloak-dist/target/keycloak"))
                    .toAbsolutePath();
            Path home = DistributionCopy.fresh(source, workDir.resolve("keycloak-run"));
            for (int attempt = 1; instance == null; attempt++) {
                KeycloakServer server =
                        new KeycloakServer(home, workDir.resolve("keycloak.log"), TestDatabase.fromConfig());
                Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "keycloak-stop"));
                try {
                    server.start();
                    instance = server;
                } catch (RuntimeException e) {
                    server.stop();
                    // A port that was free when chosen can be taken by the time Keycloak binds it,
                    // ~30-60 s later on a busy machine: then try again on other ports.
                    if (attempt < 3 && server.logMentions("Address already in use")) {
                        System.out.println("Keycloak's port was taken meanwhile; starting again on other ports");
                        continue;
                    }
                    startFailure = e;
                    throw e;
                }
            }
        }
        return instance;
    }

    /**
     * A Keycloak of one test class's own, for tests that restart, kill or reconfigure it: its own
     * copy of the distribution in {@code target/<name>}, its own database, log {@code target/<name>.log}.
     * Not started; see {@link #start(Map, List)}. Stopped when the JVM exits at the latest.
     */
    public static KeycloakServer dedicated(String name) {
        Path workDir = Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
        Path source = Path.of(ItConfig.get("keyward.it.keycloak.home", "../keycloak-dist/target/keycloak"))
                .toAbsolutePath();
        KeycloakServer server = new KeycloakServer(
                DistributionCopy.fresh(source, workDir.resolve(name)),
                workDir.resolve(name + ".log"),
                TestDatabase.fromConfig());
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, name + "-stop"));
        return server;
    }

    /**
     * A production-mode node of a cluster whose nodes share {@code database}: its own copy of the
     * distribution in {@code target/<name>}, log {@code target/<name>.log}. Not started. The
     * database is left to the caller, who drops it once every node stopped.
     */
    public static KeycloakServer clusterNode(String name, TestDatabase database, ClusterSettings settings) {
        Path workDir = Path.of(ItConfig.get("keyward.it.work.dir", "target")).toAbsolutePath();
        Path source = Path.of(ItConfig.get("keyward.it.keycloak.home", "../keycloak-dist/target/keycloak"))
                .toAbsolutePath();
        KeycloakServer server = new KeycloakServer(
                DistributionCopy.fresh(source, workDir.resolve(name)),
                workDir.resolve(name + ".log"),
                database,
                false,
                settings);
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, name + "-stop"));
        return server;
    }

    /** Starts a cluster node (again) and returns once it is ready; its log is appended to. */
    public void startNode() {
        start();
    }

    /**
     * Starts a dedicated server (again), with this environment and these extra options; the log is
     * appended to. Returns once it is ready.
     */
    public void start(Map<String, String> env, List<String> args) {
        env.forEach(TestSecrets::recordConfigured);
        this.extraEnv = Map.copyOf(env);
        this.extraArgs = List.copyOf(args);
        start();
    }

    /**
     * Starts kc.sh with this environment and these extra options and returns its process without
     * waiting: for starts that are expected to fail.
     */
    public Process launch(Map<String, String> env, List<String> args) throws IOException {
        env.forEach(TestSecrets::recordConfigured);
        this.extraEnv = Map.copyOf(env);
        this.extraArgs = List.copyOf(args);
        return processBuilder().start();
    }

    /** SIGKILL to the JVM and kc.sh: no shutdown hooks, no transaction completes. */
    public void kill() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(h -> h.onExit().join());
    }

    /** TERM and wait, keeping the database (a dedicated server can start again). */
    public void shutdown() {
        stopProcessTree(process);
    }

    /** A JDBC connection to this server's database, for tests that look at what Keycloak stored. */
    public java.sql.Connection sql() throws java.sql.SQLException {
        return database.connect(home);
    }

    /** Whether kc.sh is still running (a killed node is not). */
    public boolean isRunning() {
        return process != null && process.isAlive();
    }

    /** The base URL of this server's own HTTP port, e.g. {@code http://localhost:PORT}; for a cluster node not the issuer. */
    public URI baseUri() {
        return URI.create("http://localhost:" + httpPort);
    }

    /** The management interface (health, metrics), e.g. {@code http://localhost:PORT}. */
    public URI managementUri() {
        return URI.create("http://localhost:" + managementPort);
    }

    public URI realmUri(String realm) {
        return baseUri().resolve("/realms/" + realm);
    }

    public Path home() {
        return home;
    }

    public Path logFile() {
        return log;
    }

    public String adminUsername() {
        return adminUsername;
    }

    public String adminPassword() {
        return adminPassword;
    }

    /** The value of {@code KEYWARD_UPSTREAM_SECRET} Keycloak was started with (the export's test identity provider). */
    public String upstreamSecret() {
        return upstreamSecret;
    }

    public TestDatabase database() {
        return database;
    }

    /**
     * The Keycloak JVM, e.g. to read its CPU time from {@code /proc/<pid>/stat} around a load
     * benchmark's measured window. In start-dev kc.sh first runs a build JVM, then {@code exec}s the
     * server JVM, so once Keycloak is ready that is usually kc.sh's own process; a java child otherwise.
     */
    public ProcessHandle jvm() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(process.toHandle()), process.descendants())
                .filter(p -> p.info()
                        .command()
                        .map(c -> c.endsWith("/java") || c.equals("java"))
                        .orElse(false))
                .findFirst()
                .orElseThrow(() ->
                        new IllegalStateException("no java process at or below kc.sh (pid " + process.pid() + ")"));
    }

    private void start() {
        ProcessBuilder pb = processBuilder();
        Instant started = Instant.now();
        System.out.printf("Starting Keycloak on %s (%s), log: %s%n", baseUri(), database.describe(), log);
        try {
            process = pb.start();
            awaitReady(started);
        } catch (IOException | RuntimeException e) {
            stopProcessTree(process);
            throw new IllegalStateException("Keycloak did not start; see " + log, e);
        }
        System.out.printf(
                "Keycloak ready after %d s%n",
                Duration.between(started, Instant.now()).toSeconds());
    }

    private ProcessBuilder processBuilder() {
        if (cluster != null) {
            return nodeProcessBuilder();
        }
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin/kc.sh").toString(),
                "start-dev",
                "--import-realm",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                // as run.sh: ${vault.NAME} reads realm secrets from the credential vault
                "--spi-vault--keyward--enabled=true",
                // HeaderProxyIT reads the proxy's counters, and needs its limits small enough to reach
                "--metrics-enabled=true",
                "--spi-realm-restapi-extension--header-proxy--response-timeout=3",
                "--spi-realm-restapi-extension--header-proxy--max-streams-per-user=3",
                PROXY_ALLOWED_PRIVATE_RANGES,
                // OpaqueWireIT waits out the deadline after which an OPAQUE guess without KE3 counts
                "--spi-authenticator--keyward-opaque-login--ke3-timeout=10",
                // a fixed hostname: the issuer is the same whether a client says localhost or 127.0.0.1
                "--hostname=" + baseUri()));
        command.addAll(database.keycloakArgs());
        // e.g. the load benchmark's production-like theme caching; empty by default
        String extra = ItConfig.get("keyward.it.keycloak.args", "");
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        pb.environment().put("KEYWARD_UPSTREAM_SECRET", upstreamSecret);
        pb.environment().putAll(database.keycloakEnv());
        pb.environment().putAll(extraEnv);
        return pb;
    }

    private ProcessBuilder nodeProcessBuilder() {
        List<String> command = new ArrayList<>(List.of(
                home.resolve("bin/kc.sh").toString(),
                "start",
                "--http-enabled=true",
                "--http-port=" + httpPort,
                "--http-management-port=" + managementPort,
                "--health-enabled=true",
                "--metrics-enabled=true",
                // every node answers for the load balancer's address: the issuer and the page URLs are the same on all
                "--hostname=" + cluster.publicBase(),
                "--cache=ispn",
                "--cache-stack=jdbc-ping",
                "--cache-embedded-network-bind-address=127.0.0.1",
                "--cache-embedded-network-bind-port=" + cluster.jgroupsPort(),
                // ClusterIT's proxy provider calls an upstream on 127.0.0.1
                PROXY_ALLOWED_PRIVATE_RANGES));
        if (cluster.importRealm()) {
            command.add("--import-realm");
        }
        // e.g. a brute-force protector setting for an experiment; empty by default
        String extra = ItConfig.get("keyward.it.cluster.args", "");
        if (!extra.isEmpty()) {
            command.addAll(List.of(extra.split("\\s+")));
        }
        command.addAll(database.keycloakArgs());
        command.addAll(extraArgs);
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(home.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        // nothing from the test JVM's environment may configure a node by accident
        pb.environment().keySet().removeIf(k -> k.startsWith("KC_"));
        pb.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", adminUsername);
        pb.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);
        pb.environment().put("KEYWARD_UPSTREAM_SECRET", upstreamSecret);
        pb.environment().putAll(database.keycloakEnv());
        pb.environment().putAll(cluster.secrets());
        pb.environment().putAll(extraEnv);
        return pb;
    }

    private void awaitReady(Instant started) {
        awaitReady(process, managementPort, started.plus(START_TIMEOUT));
    }

    /**
     * Polls {@code /health/ready} on the management port until it answers 200.
     *
     * @throws IllegalStateException if kc.sh exits first or the deadline passes
     */
    public static void awaitReady(Process kcSh, int managementPort, Instant deadline) {
        HttpClient http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://localhost:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5))
                .build();
        while (Instant.now().isBefore(deadline)) {
            if (!kcSh.isAlive()) {
                throw new IllegalStateException("kc.sh exited with " + kcSh.exitValue());
            }
            try {
                if (http.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            sleep(Duration.ofMillis(500));
        }
        throw new IllegalStateException("not ready by " + deadline);
    }

    /** TERM to kc.sh and its JVM (kc.sh forwards TERM too), then KILL what is left; then the database goes. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (process != null && process.isAlive()) {
            stopProcessTree(process);
        }
        if (ownsDatabase) {
            database.close();
        }
    }

    /** TERM to kc.sh and its JVM (kc.sh forwards TERM too), up to 30 s for a clean stop, then KILL what is left. */
    public static void stopProcessTree(Process kcSh) {
        if (kcSh == null) {
            return;
        }
        List<ProcessHandle> tree = new ArrayList<>(kcSh.descendants().toList());
        tree.add(kcSh.toHandle());
        tree.forEach(ProcessHandle::destroy);
        try {
            if (!kcSh.waitFor(30, TimeUnit.SECONDS)) {
                System.err.println("Keycloak did not stop within 30 s; killing it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.forEach(h -> h.onExit().join());
    }

    /**
     * A port below Linux's ephemeral range (32768-60999), so that no outgoing connection or
     * port-0 listener of another process on this machine is handed the port while Keycloak boots.
     */
    public static int freePort() {
        for (int i = 0; i < 100; i++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            try (ServerSocket socket = new ServerSocket(port)) {
                return socket.getLocalPort();
            } catch (IOException e) {
                // taken, try another
            }
        }
        throw new IllegalStateException("no free port found between 20000 and 32000");
    }

    private boolean logMentions(String text) {
        try {
            return Files.readString(log).contains(text);
        } catch (IOException e) {
            return false;
        }
    }

    public static String randomSecret() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    public static void sleep(Duration d) {
        try {
            Thread.sleep(d.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
