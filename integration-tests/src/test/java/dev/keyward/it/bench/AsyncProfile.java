package dev.keyward.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Where the Keycloak JVM's CPU goes, without JFR: async-profiler ({@code libasyncProfiler.so},
 * not part of the build; {@code -Dkeyward.bench.profile=async:/path/to/libasyncProfiler.so}) loaded
 * into Keycloak with {@code jcmd JVMTI.agent_load}, sampling CPU time ({@code ctimer}: a per-thread
 * CPU-time signal timer, so every thread that burns CPU is sampled in proportion, JIT and GC
 * threads included, with no safepoint bias) every millisecond of a thread's CPU. Its samples are
 * therefore CPU milliseconds, and the summary divides them by the window's logins: ms of Keycloak
 * CPU per login in each bucket, comparable with the benchmark's own {@code /proc} numbers.
 */
final class AsyncProfile {
    /** One sample per this many ns of a thread's CPU time. */
    private static final long INTERVAL_NS = 1_000_000;

    /** Inclusive buckets: a sample counts for each bucket one of its frames falls into. */
    private static final Map<String, List<String>> BUCKETS = new LinkedHashMap<>();

    static {
        BUCKETS.put("authorization endpoint (GET, login page)", List.of("AuthorizationEndpoint.buildGet"));
        BUCKETS.put("login-actions POST (form, KE1, KE3)", List.of("LoginActionsService.authenticate"));
        BUCKETS.put("  of it: session code checks", List.of("LoginActionsService.checksForCode"));
        BUCKETS.put("  of it: authenticator action()", List.of("OpaqueAuthenticator.action", "UsernameForm.action"));
        BUCKETS.put("    Ke1Step", List.of("Ke1Step.run"));
        BUCKETS.put("      OPAQUE server crypto", List.of("OpaqueServer.startLogin"));
        BUCKETS.put("      user lookup", List.of("LoginNames.find"));
        BUCKETS.put("      credential load + parse", List.of("Ke1Step.loadRecord"));
        BUCKETS.put("      guess ledger", List.of("GuessLedger."));
        BUCKETS.put("      brute-force lock check", List.of("BruteForce.lockError"));
        BUCKETS.put("      generateAccessCode/action URL", List.of("generateAccessCode", "getActionUrl"));
        BUCKETS.put("      JSON answer", List.of("Wire.ke2"));
        BUCKETS.put("    Ke3Step", List.of("Ke3Step.run"));
        BUCKETS.put("      KE3 crypto", List.of("OpaqueServer.finishLogin"));
        BUCKETS.put("    OpenGuesses.flush", List.of("OpenGuesses.flush"));
        BUCKETS.put(
                "  of it: after the flow (session, redirect)",
                List.of(
                        "AuthenticationManager.finishedRequiredActions",
                        "AuthenticationProcessor.authenticationComplete",
                        "AuthenticationManager.nextActionAfterAuthentication"));
        BUCKETS.put("token endpoint", List.of("TokenEndpoint.processGrantRequest"));
        BUCKETS.put("Infinispan (anywhere)", List.of("org/infinispan/", "org.infinispan."));
        BUCKETS.put("Hibernate/JDBC (anywhere)", List.of("org/hibernate/", "org/postgresql/", "io/agroal/"));
        BUCKETS.put("brute-force protector (anywhere)", List.of("DefaultBruteForceProtector"));
        BUCKETS.put("JIT compiler threads", List.of("[C1 CompilerThre", "[C2 CompilerThre"));
        BUCKETS.put("GC threads", List.of("[GC Thread", "[G1 "));
    }

    private final long pid;
    private final Path library;
    private final Path dir;

    AsyncProfile(long pid, Path library, Path dir) {
        this.pid = pid;
        this.library = library.toAbsolutePath();
        this.dir = dir.toAbsolutePath();
    }

    void start() {
        agent("start,event=ctimer,interval=" + INTERVAL_NS + ",threads,cstack=no");
    }

    Path stop(String name) {
        Path file = dir.resolve(name + ".collapsed");
        agent("stop,file=" + file + ",collapsed");
        return file;
    }

    /** ms of Keycloak CPU per login in each bucket, over the windows' collapsed stacks. */
    static String summary(String title, List<Path> recordings, int logins, int top) {
        Map<String, Long> buckets = new LinkedHashMap<>();
        BUCKETS.keySet().forEach(k -> buckets.put(k, 0L));
        Map<String, Long> self = new HashMap<>();
        long samples = 0;
        try {
            for (Path recording : recordings) {
                for (String line : Files.readAllLines(recording)) {
                    int space = line.lastIndexOf(' ');
                    if (space < 0) {
                        continue;
                    }
                    long n = Long.parseLong(line.substring(space + 1).trim());
                    String stack = line.substring(0, space);
                    samples += n;
                    self.merge(stack.substring(stack.lastIndexOf(';') + 1), n, Long::sum);
                    for (Map.Entry<String, List<String>> bucket : BUCKETS.entrySet()) {
                        if (bucket.getValue().stream().anyMatch(stack::contains)) {
                            buckets.merge(bucket.getKey(), n, Long::sum);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        double perLogin = INTERVAL_NS / 1e6 / Math.max(1, logins);
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "%s: %d CPU samples of %d µs, %.2f ms CPU per login%n",
                title,
                samples,
                INTERVAL_NS / 1000,
                samples * perLogin));
        buckets.forEach((k, v) -> sb.append(String.format(Locale.ROOT, "  %-50s %6.3f ms/login%n", k, v * perLogin)));
        sb.append("  hottest frames (self):\n");
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(top)
                .forEach(m -> sb.append(
                        String.format(Locale.ROOT, "    %6.3f ms/login %s%n", m.getValue() * perLogin, m.getKey())));
        return sb.toString();
    }

    private void agent(String options) {
        // quoted: jcmd's own parser would split the agent's options at '='
        Jcmd.run(
                pid,
                out -> out.contains("return code: 0"),
                "JVMTI.agent_load",
                library.toString(),
                "\"" + options + "\"");
    }
}
