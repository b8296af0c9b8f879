package dev.keyward.it.harness;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Runs logins of one variant at a fixed concurrency and measures the window: wall time, the
 * Keycloak JVM's CPU time, this driver JVM's CPU time, the machine's busy time, and the CPU the
 * driver spent in OPAQUE client code. Users are handed out from a queue and put back at its tail
 * when their login ends, so one user never logs in twice at the same time and comes back only
 * after all the others (Keycloak's quick-login check reacts to failures of one user less than a
 * second apart, and every OPAQUE KE1 counts as one failure until KE3 succeeds).
 */
public final class LoginLoad implements AutoCloseable {
    /** Error messages kept per window; the count is always complete. */
    private static final int ERROR_SAMPLES = 5;

    private final LoginBenchRealms realms;
    private final long keycloakPid;
    private final CpuClock clock = new CpuClock();
    private final ExecutorService workers;
    private final List<LoginDriver> drivers = new ArrayList<>();
    private final Map<LoginVariant, BlockingQueue<Integer>> idleUsers = new EnumMap<>(LoginVariant.class);

    public LoginLoad(KeycloakServer keycloak, LoginBenchRealms realms, int concurrency) {
        if (realms.users() < concurrency) {
            throw new IllegalArgumentException("need at least as many users per realm (" + realms.users()
                    + ") as concurrent logins (" + concurrency + ")");
        }
        this.realms = realms;
        this.keycloakPid = keycloak.jvm().pid();
        this.workers = Executors.newFixedThreadPool(concurrency);
        for (int i = 0; i < concurrency; i++) {
            drivers.add(new LoginDriver(keycloak.baseUri()));
        }
        for (LoginVariant v : LoginVariant.values()) {
            BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(realms.users());
            for (int i = 0; i < realms.users(); i++) {
                queue.add(i);
            }
            idleUsers.put(v, queue);
        }
    }

    public CpuClock clock() {
        return clock;
    }

    /** What one or more windows of one variant measured; CPU in clock ticks, client OPAQUE work in ns. */
    public record Window(
            LoginVariant variant,
            int logins,
            int errors,
            long wallNanos,
            long keycloakTicks,
            long keycloakGcTicks,
            long keycloakJitTicks,
            long driverTicks,
            long machineBusyTicks,
            long machineTotalTicks,
            long clientOpaqueNanos,
            List<String> errorSamples) {

        public Window plus(Window o) {
            List<String> samples = new ArrayList<>(errorSamples);
            o.errorSamples.stream()
                    .limit(Math.max(0, ERROR_SAMPLES - samples.size()))
                    .forEach(samples::add);
            return new Window(
                    variant,
                    logins + o.logins,
                    errors + o.errors,
                    wallNanos + o.wallNanos,
                    keycloakTicks + o.keycloakTicks,
                    keycloakGcTicks + o.keycloakGcTicks,
                    keycloakJitTicks + o.keycloakJitTicks,
                    driverTicks + o.driverTicks,
                    machineBusyTicks + o.machineBusyTicks,
                    machineTotalTicks + o.machineTotalTicks,
                    clientOpaqueNanos + o.clientOpaqueNanos,
                    samples);
        }

        public double loginsPerSecond() {
            return logins / (wallNanos / 1e9);
        }
    }

    /** {@code count} logins of {@code variant} by {@code concurrency} workers; the window spans all of them. */
    public Window run(LoginVariant variant, int count) throws InterruptedException {
        AtomicInteger remaining = new AtomicInteger(count);
        AtomicInteger ok = new AtomicInteger();
        AtomicInteger errors = new AtomicInteger();
        AtomicLong opaqueNanos = new AtomicLong();
        List<String> samples = Collections.synchronizedList(new ArrayList<>());
        BlockingQueue<Integer> users = idleUsers.get(variant);
        String realm = realms.realm(variant);

        long[] machine0 = clock.machineTicks();
        long kc0 = clock.processTicks(keycloakPid);
        long[] service0 = clock.jvmServiceTicks(keycloakPid);
        long self0 = clock.processTicks(ProcessHandle.current().pid());
        long t0 = System.nanoTime();
        List<Future<?>> running = new ArrayList<>();
        for (LoginDriver driver : drivers) {
            running.add(workers.submit(() -> {
                while (remaining.getAndDecrement() > 0) {
                    int user = users.take();
                    try {
                        opaqueNanos.addAndGet(driver.login(
                                variant, realm, LoginBenchRealms.username(user), LoginBenchRealms.password(user)));
                        ok.incrementAndGet();
                    } catch (LoginDriver.LoginFailure | IOException e) {
                        errors.incrementAndGet();
                        if (samples.size() < ERROR_SAMPLES) {
                            samples.add(LoginBenchRealms.username(user) + ": " + e);
                        }
                    } finally {
                        users.put(user);
                    }
                }
                return null;
            }));
        }
        for (Future<?> f : running) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("login worker failed", e.getCause());
            }
        }
        long wall = System.nanoTime() - t0;
        long kc1 = clock.processTicks(keycloakPid);
        long[] service1 = clock.jvmServiceTicks(keycloakPid);
        long self1 = clock.processTicks(ProcessHandle.current().pid());
        long[] machine1 = clock.machineTicks();
        return new Window(
                variant,
                ok.get(),
                errors.get(),
                wall,
                kc1 - kc0,
                service1[0] - service0[0],
                service1[1] - service0[1],
                self1 - self0,
                machine1[0] - machine0[0],
                machine1[1] - machine0[1],
                opaqueNanos.get(),
                List.copyOf(samples));
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }
}
