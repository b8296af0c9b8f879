package dev.keyward.it.bench;

import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.CpuClock;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginLoad;
import dev.keyward.it.harness.LoginVariant;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The login-throughput comparison of issue 3, shared by the benchmark and its smoke test: makes
 * the three realms ({@link LoginBenchRealms}, outside any measured window), warms each variant
 * up, then measures {@code logins} logins per variant in {@code rounds} rounds, the variants
 * interleaved and their order rotated each round so that background load drifting over the run
 * hits all three alike. Per variant the rounds' windows are summed.
 */
public final class LoginThroughput {
    /** Sizes of a run; {@link #fromConfig()} reads them from {@code keyward.bench.*}. */
    record Settings(int users, int warmup, int logins, int rounds, int concurrency, String profile) {
        Settings(int users, int warmup, int logins, int rounds, int concurrency) {
            this(users, warmup, logins, rounds, concurrency, "");
        }

        /**
         * {@code keyward.bench.profile}: empty (no JFR), or the JFR settings to record Keycloak with during
         * the measured windows, {@code profile} or {@code default} ({@link ServerProfile}).
         */
        static Settings fromConfig() {
            return new Settings(
                    intSetting("users", 300),
                    intSetting("warmup", 300),
                    intSetting("logins", 900),
                    intSetting("rounds", 3),
                    intSetting("concurrency", 8),
                    ItConfig.get("keyward.bench.profile", "").replace("true", "profile"));
        }

        boolean profiled() {
            return !profile.isEmpty() && asyncProfiler() == null;
        }

        /** {@code async:<path to libasyncProfiler.so>}: {@link AsyncProfile} instead of JFR; else null. */
        Path asyncProfiler() {
            return profile.startsWith("async:") ? Path.of(profile.substring("async:".length())) : null;
        }

        private static int intSetting(String name, int defaultValue) {
            return Integer.parseInt(ItConfig.get("keyward.bench." + name, Integer.toString(defaultValue)));
        }
    }

    /** The measured windows and what the run ran on. */
    record Result(
            Settings settings,
            Map<LoginVariant, LoginLoad.Window> windows,
            String conditions,
            CpuClock clock,
            String profile) {
        int errors() {
            return windows.values().stream().mapToInt(LoginLoad.Window::errors).sum();
        }

        int logins() {
            return windows.values().stream().mapToInt(LoginLoad.Window::logins).sum();
        }

        double serverCpuMsPerLogin(LoginVariant v) {
            LoginLoad.Window w = windows.get(v);
            return clock.ticksToMillis(w.keycloakTicks()) / w.logins();
        }

        String report() {
            StringBuilder sb = new StringBuilder(conditions);
            sb.append(
                    "\n| variant | logins | errors | logins/s | server CPU ms/login | of it GC | of it JIT | driver CPU ms/login"
                            + " | machine CPU ms/login | client OPAQUE CPU ms/login |\n|---|---|---|---|---|---|---|---|---|---|\n");
            for (LoginLoad.Window w : windows.values()) {
                sb.append(String.format(
                        Locale.ROOT,
                        "| %s | %d | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.2f | %s |%n",
                        w.variant(),
                        w.logins(),
                        w.errors(),
                        w.loginsPerSecond(),
                        serverCpuMsPerLogin(w.variant()),
                        clock.ticksToMillis(w.keycloakGcTicks()) / w.logins(),
                        clock.ticksToMillis(w.keycloakJitTicks()) / w.logins(),
                        clock.ticksToMillis(w.driverTicks()) / w.logins(),
                        clock.ticksToMillis(w.machineBusyTicks()) / w.logins(),
                        w.variant() == LoginVariant.OPAQUE
                                ? String.format(Locale.ROOT, "%.3f", w.clientOpaqueNanos() / 1e6 / w.logins())
                                : "–"));
            }
            LoginLoad.Window a = windows.get(LoginVariant.PASSWORD);
            LoginLoad.Window b = windows.get(LoginVariant.OPAQUE);
            LoginLoad.Window c = windows.get(LoginVariant.NO_CHECK);
            double cpuA = serverCpuMsPerLogin(LoginVariant.PASSWORD);
            double cpuB = serverCpuMsPerLogin(LoginVariant.OPAQUE);
            double cpuC = serverCpuMsPerLogin(LoginVariant.NO_CHECK);
            sb.append(String.format(
                    Locale.ROOT,
                    "%nb/a: logins/s %.2f×, server CPU per login a/b %.2f× (target ≥ 6×)%n",
                    b.loginsPerSecond() / a.loginsPerSecond(),
                    cpuA / cpuB));
            sb.append(String.format(
                    Locale.ROOT,
                    "b/c: logins/s %.2f×, server CPU per login c/b %.2f× (target ≥ 0.7×)%n",
                    b.loginsPerSecond() / c.loginsPerSecond(),
                    cpuC / cpuB));
            sb.append(String.format(
                    Locale.ROOT,
                    "server CPU per login beyond the ceiling: a−c %.2f ms, b−c %.2f ms%n",
                    cpuA - cpuC,
                    cpuB - cpuC));
            windows.values().stream()
                    .filter(w -> !w.errorSamples().isEmpty())
                    .forEach(w -> sb.append(w.variant())
                            .append(" errors, first ones: ")
                            .append(w.errorSamples())
                            .append('\n'));
            if (!profile.isEmpty()) {
                sb.append("\n"
                                + (settings.asyncProfiler() == null
                                        ? "JFR (settings=" + settings.profile() + ")"
                                        : "async-profiler (CPU time, 1 ms)")
                                + " in Keycloak during the measured windows (its overhead is in the numbers above):\n")
                        .append(profile);
            }
            return sb.toString();
        }
    }

    private LoginThroughput() {}

    static Result run(KeycloakServer keycloak, String realmPrefix, Settings s) throws Exception {
        AdminApi admin = new AdminApi(keycloak);
        BenchConditions conditions = new BenchConditions();
        Instant setupStart = Instant.now();
        LoginBenchRealms realms =
                LoginBenchRealms.create(keycloak, admin, realmPrefix, s.users(), Math.max(2, s.concurrency()));
        System.out.printf(
                "login benchmark: %d users in each of 3 realms set up in %d s%n",
                s.users(), java.time.Duration.between(setupStart, Instant.now()).toSeconds());
        Map<LoginVariant, LoginLoad.Window> totals = new EnumMap<>(LoginVariant.class);
        Map<LoginVariant, List<Path>> recordings = new EnumMap<>(LoginVariant.class);
        Path workDir = Path.of(ItConfig.get("keyward.it.work.dir", "target"));
        ServerProfile profiler = new ServerProfile(keycloak.jvm().pid(), workDir);
        AsyncProfile sampler = s.asyncProfiler() == null
                ? null
                : new AsyncProfile(keycloak.jvm().pid(), s.asyncProfiler(), workDir);
        try (LoginLoad load = new LoginLoad(keycloak, realms, s.concurrency())) {
            for (LoginVariant v : LoginVariant.values()) {
                LoginLoad.Window warm = load.run(v, s.warmup());
                System.out.printf(
                        "warm-up %s: %d logins, %d errors, %.1f logins/s%n",
                        v, warm.logins(), warm.errors(), warm.loginsPerSecond());
            }
            List<LoginVariant> order = new ArrayList<>(List.of(LoginVariant.values()));
            for (int round = 0; round < s.rounds(); round++) {
                int count = s.logins() / s.rounds() + (round < s.logins() % s.rounds() ? 1 : 0);
                for (LoginVariant v : order) {
                    String recording = "login-bench-" + v.label + "-" + (round + 1);
                    if (s.profiled()) {
                        profiler.start(recording, s.profile());
                    } else if (sampler != null) {
                        sampler.start();
                    }
                    LoginLoad.Window w = load.run(v, count);
                    if (s.profiled()) {
                        recordings.computeIfAbsent(v, k -> new ArrayList<>()).add(profiler.stop(recording));
                    } else if (sampler != null) {
                        recordings.computeIfAbsent(v, k -> new ArrayList<>()).add(sampler.stop(recording));
                    }
                    System.out.printf(
                            "round %d %s: %d logins, %d errors, %.1f logins/s, server CPU %.2f ms/login%n",
                            round + 1,
                            v,
                            w.logins(),
                            w.errors(),
                            w.loginsPerSecond(),
                            load.clock().ticksToMillis(w.keycloakTicks()) / Math.max(1, w.logins()));
                    totals.merge(v, w, LoginLoad.Window::plus);
                }
                order.add(order.remove(0));
            }
            StringBuilder profile = new StringBuilder();
            recordings.forEach((v, files) -> profile.append(
                    sampler == null
                            ? ServerProfile.summary(v.toString(), files, 15)
                            : AsyncProfile.summary(
                                    v.toString(), files, totals.get(v).logins(), 25)));
            return new Result(
                    s,
                    totals,
                    conditions(conditions.header("Login throughput", keycloak, admin), realms, s),
                    load.clock(),
                    profile.toString());
        }
    }

    private static String conditions(String header, LoginBenchRealms realms, Settings s) {
        return header
                + String.format(
                        Locale.ROOT,
                        """
                        %d users per realm, concurrency %d, warm-up %d logins per variant, then %d logins per variant in %d rounds \
                        (variants interleaved, order rotated each round)
                        brute-force detection on in all three realms: %s
                        (a) stored password hash (credentialData): %s
                        (b) OPAQUE client work in the driver with the identity KSF (records registered the same way)
                        """,
                        s.users(),
                        s.concurrency(),
                        s.warmup(),
                        s.logins(),
                        s.rounds(),
                        new java.util.TreeMap<>(LoginBenchRealms.BRUTE_FORCE),
                        realms.passwordHash());
    }
}
