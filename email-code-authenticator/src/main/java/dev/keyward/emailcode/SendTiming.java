package dev.keyward.emailcode;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * Makes a request that sends nothing (unknown name, no usable address) take about as long as one
 * that talks to the SMTP server, so response time does not tell whether an account exists. Keeps
 * a moving average of recent send times per realm. This is a timing hint, not state: nodes may
 * disagree without harm, so it lives in memory (unlike the limits, which must hold cluster-wide).
 */
final class SendTiming {
    /** Never stall a request longer than this, whatever the SMTP server did lately. */
    private static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(3);

    private static final Map<String, Long> TYPICAL_NANOS = new ConcurrentHashMap<>();

    private SendTiming() {}

    /** @param nanos how long a real send just took */
    static void record(String realmId, long nanos) {
        long sample = Math.min(nanos, MAX_NANOS);
        TYPICAL_NANOS.merge(realmId, sample, (old, now) -> old + (now - old) / 4);
    }

    /** Sleeps until about a typical send's time has passed since {@code startNanos}. */
    static void imitate(String realmId, long startNanos) {
        Long typical = TYPICAL_NANOS.get(realmId);
        if (typical == null) {
            return;
        }
        // +-20%: real sends vary, a constant would stand out
        long target = (long) (typical * ThreadLocalRandom.current().nextDouble(0.8, 1.2));
        long remaining = target - (System.nanoTime() - startNanos);
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
