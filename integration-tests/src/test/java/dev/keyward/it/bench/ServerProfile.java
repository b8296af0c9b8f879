package dev.keyward.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the Keycloak JVM's CPU goes during the benchmark's windows: Java Flight Recorder in the
 * Keycloak JVM, started and stopped with {@code jcmd} (settings {@code profile}: a stack sample of
 * running Java threads every 10 ms; {@code default}: every 20 ms), read back here with {@code jdk.jfr.consumer}. Samples
 * cover Java threads only (not GC or JIT compiler threads) and the recorder adds overhead, so a
 * profiled run's CPU numbers are not the benchmark's numbers.
 */
public final class ServerProfile {
    /** Inclusive buckets: a sample counts for every bucket one of its frames falls into. */
    private static final Map<String, List<String>> BUCKETS = new LinkedHashMap<>();

    static {
        BUCKETS.put("argon2 (BouncyCastle)", List.of("org.bouncycastle.crypto.generators.Argon2BytesGenerator"));
        BUCKETS.put(
                "Keycloak password check (all)", List.of("PasswordHashProvider", "PasswordCredentialProvider.isValid"));
        BUCKETS.put(
                "OPAQUE (opaque-java)",
                List.of(
                        "dev.keyward.opaque.OpaqueServer",
                        "dev.keyward.opaque.Oprf",
                        "dev.keyward.opaque.ThreeDh",
                        "dev.keyward.opaque.Ristretto255Group"));
        BUCKETS.put("keyward authenticator (all)", List.of("dev.keyward.opaque.authenticator."));
        BUCKETS.put("FreeMarker (login pages)", List.of("freemarker."));
        BUCKETS.put("token endpoint", List.of("org.keycloak.protocol.oidc.endpoints.TokenEndpoint"));
        BUCKETS.put(
                "JWS sign/verify",
                List.of("SignatureSignerContext", "SignatureVerifierContext", "org.keycloak.jose.jws."));
        BUCKETS.put(
                "brute-force protector",
                List.of(
                        "org.keycloak.services.managers.DefaultBruteForceProtector",
                        "org.keycloak.models.sessions.infinispan.InfinispanUserLoginFailure"));
        BUCKETS.put("Hibernate/JDBC (PostgreSQL)", List.of("org.hibernate.", "org.postgresql.", "io.agroal."));
        BUCKETS.put("Infinispan", List.of("org.infinispan."));
        BUCKETS.put("HTTP (Vert.x/Netty/RESTEasy)", List.of("io.netty.", "io.vertx.", "org.jboss.resteasy."));
        BUCKETS.put("JSON (Jackson)", List.of("com.fasterxml.jackson."));
    }

    private final long pid;
    private final Path dir;

    ServerProfile(long pid, Path dir) {
        this.pid = pid;
        this.dir = dir.toAbsolutePath();
    }

    /** @param settings a JFR settings name: {@code profile} (10 ms samples) or {@code default} (20 ms, less overhead) */
    void start(String name, String settings) {
        jcmd("JFR.start", "name=" + name, "settings=" + settings);
    }

    Path stop(String name) {
        Path file = dir.resolve(name + ".jfr");
        jcmd("JFR.stop", "name=" + name, "filename=" + file);
        return file;
    }

    /** Buckets and the hottest methods (self time) over the recordings' execution samples. */
    static String summary(String title, List<Path> recordings, int top) {
        Map<String, Integer> buckets = new LinkedHashMap<>();
        Map<String, Integer> self = new HashMap<>();
        int samples = 0;
        try {
            for (Path recording : recordings) {
                for (RecordedEvent e : RecordingFile.readAllEvents(recording)) {
                    if (!e.getEventType().getName().equals("jdk.ExecutionSample") || e.getStackTrace() == null) {
                        continue;
                    }
                    List<RecordedFrame> frames = e.getStackTrace().getFrames();
                    if (frames.isEmpty()) {
                        continue;
                    }
                    samples++;
                    self.merge(name(frames.get(0)), 1, Integer::sum);
                    for (Map.Entry<String, List<String>> bucket : BUCKETS.entrySet()) {
                        if (frames.stream()
                                .map(ServerProfile::name)
                                .anyMatch(f -> bucket.getValue().stream().anyMatch(f::contains))) {
                            buckets.merge(bucket.getKey(), 1, Integer::sum);
                        }
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%s: %d execution samples%n", title, samples));
        int total = Math.max(1, samples);
        sb.append("  inclusive: ");
        List<String> parts = new ArrayList<>();
        buckets.forEach((k, v) -> parts.add(String.format(Locale.ROOT, "%s %.1f%%", k, 100.0 * v / total)));
        sb.append(String.join(" · ", parts)).append('\n');
        sb.append("  hottest methods (self):\n");
        self.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                .limit(top)
                .forEach(m -> sb.append(
                        String.format(Locale.ROOT, "    %5.1f%% %s%n", 100.0 * m.getValue() / total, m.getKey())));
        return sb.toString();
    }

    private static String name(RecordedFrame f) {
        return f.getMethod().getType().getName() + "." + f.getMethod().getName();
    }

    private void jcmd(String... command) {
        Jcmd.run(pid, out -> !out.contains("Could not") && !out.contains("rror"), command);
    }
}
