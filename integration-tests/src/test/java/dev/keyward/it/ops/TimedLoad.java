package dev.keyward.it.ops;

import dev.keyward.it.harness.LoginBenchRealms;
import dev.keyward.it.harness.LoginDriver;
import dev.keyward.it.harness.LoginVariant;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

/**
 * OPAQUE logins by {@code concurrency} workers for a fixed time, every login's end recorded with
 * its outcome, so a test can say what failed when (for example, while the database restarted).
 * Users are handed out from a queue and put back at its tail, so no user logs in twice at the same
 * time and a user comes back only after the others ({@link dev.keyward.it.harness.LoginLoad} explains why).
 */
public final class TimedLoad {
    /** One login: when it ended (ms since the window began), how long it took, and the failure, if any (no secrets). */
    record Outcome(long endMillis, long millis, String error) {
        boolean ok() {
            return error == null;
        }
    }

    private TimedLoad() {}

    /**
     * Runs the window and returns every login's outcome, in the order they ended.
     *
     * @param drivers the driver of worker {@code i} (each keeps its own connections)
     * @param during run on the calling thread once the workers are going, e.g. to restart something;
     *     the window lasts at least {@code duration} and at least until it returns
     */
    static List<Outcome> run(
            LoginBenchRealms realms,
            int concurrency,
            Duration duration,
            IntFunction<LoginDriver> drivers,
            Runnable during)
            throws InterruptedException {
        BlockingQueue<Integer> users = new ArrayBlockingQueue<>(realms.users());
        for (int i = 0; i < realms.users(); i++) {
            users.add(i);
        }
        String realm = realms.realm(LoginVariant.OPAQUE);
        List<Outcome> outcomes = Collections.synchronizedList(new ArrayList<>());
        long t0 = System.nanoTime();
        long end = t0 + duration.toNanos();
        ExecutorService workers = Executors.newFixedThreadPool(concurrency);
        List<Future<?>> running = new ArrayList<>();
        try {
            for (int w = 0; w < concurrency; w++) {
                LoginDriver driver = drivers.apply(w);
                running.add(workers.submit(() -> {
                    while (System.nanoTime() < end) {
                        int user = users.take();
                        long start = System.nanoTime();
                        String error = null;
                        try {
                            driver.login(
                                    LoginVariant.OPAQUE,
                                    realm,
                                    LoginBenchRealms.username(user),
                                    LoginBenchRealms.password(user));
                        } catch (LoginDriver.LoginFailure | java.io.IOException e) {
                            error = LoginBenchRealms.username(user) + ": " + e;
                        } finally {
                            users.put(user);
                        }
                        long now = System.nanoTime();
                        outcomes.add(new Outcome((now - t0) / 1_000_000, (now - start) / 1_000_000, error));
                    }
                    return null;
                }));
            }
            during.run();
            for (Future<?> f : running) {
                try {
                    f.get();
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException("login worker failed", e.getCause());
                }
            }
        } finally {
            workers.shutdownNow();
        }
        return List.copyOf(outcomes);
    }

    /** Logins per second, p50 and p95 latency, errors: one line for the test's output. */
    static String summary(List<Outcome> outcomes, Duration window) {
        List<Long> ms = outcomes.stream()
                .filter(Outcome::ok)
                .map(Outcome::millis)
                .sorted()
                .toList();
        long errors = outcomes.stream().filter(o -> !o.ok()).count();
        return String.format(
                "%d logins in %d s (%.1f/s), p50 %d ms, p95 %d ms, %d errors",
                ms.size(),
                window.toSeconds(),
                ms.size() / (double) window.toSeconds(),
                percentile(ms, 50),
                percentile(ms, 95),
                errors);
    }

    private static long percentile(List<Long> sorted, int p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, sorted.size() * p / 100));
    }
}
