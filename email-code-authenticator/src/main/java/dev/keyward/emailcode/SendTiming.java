package dev.keyward.emailcode;

import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Makes a request that sends nothing (unknown name, no usable address) answer after the same time
 * as one that talks to the SMTP server, so response time does not tell whether an account exists.
 *
 * <p>Both kinds wait until a floor has passed since the send began: the 95th percentile of the
 * node's recent real sends. A decoy ends at the floor; a real send ends at the floor or, when the
 * SMTP server was slower, when it answered. So the two answer-time distributions are the same up
 * to the slowest twentieth of real sends, whatever shape the SMTP server's times have and however
 * the load moves (both kinds use the same floor at the same moment). Padding only decoys to an
 * average, as before, kept the means apart from the medians: real sends are skewed, decoys were not.
 *
 * <p>This is a timing hint, not state: nodes may disagree without harm, so it lives in memory
 * (unlike the limits, which must hold cluster-wide).
 */
final class SendTiming {
    /** Never stall a request longer than this, whatever the SMTP server did lately. */
    static final long MAX_NANOS = TimeUnit.SECONDS.toNanos(3);

    /** Before a node's first real send there is nothing to measure; a typical remote SMTP exchange. */
    static final long INITIAL_FLOOR_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    static final int WINDOW = 64;

    private static final Map<String, Window> WINDOWS = new ConcurrentHashMap<>();

    private SendTiming() {}

    /**
     * A real send that began at {@code startNanos} has just ended: records it and, when {@code
     * hide} (a first factor, where the answer must not tell an account from a decoy), waits out the
     * floor. A second factor's send has nothing to hide: an earlier factor proved who this is.
     */
    static void afterSend(String realmId, long startNanos, boolean hide) {
        Window window = window(realmId);
        long floor = window.floorNanos();
        window.add(System.nanoTime() - startNanos);
        if (hide) {
            waitUntil(startNanos + floor);
        }
    }

    /** In place of a send that began at {@code startNanos}: waits out the same floor. */
    static void instead(String realmId, long startNanos) {
        waitUntil(startNanos + window(realmId).floorNanos());
    }

    private static Window window(String realmId) {
        return WINDOWS.computeIfAbsent(realmId, id -> new Window());
    }

    private static void waitUntil(long deadlineNanos) {
        long remaining = deadlineNanos - System.nanoTime();
        if (remaining > 0) {
            try {
                TimeUnit.NANOSECONDS.sleep(remaining);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** The last {@link #WINDOW} real send times of one realm on this node. */
    static final class Window {
        private final long[] samples = new long[WINDOW];
        private int count;
        private int next;

        synchronized void add(long nanos) {
            samples[next] = Math.max(0, Math.min(nanos, MAX_NANOS));
            next = (next + 1) % WINDOW;
            count = Math.min(count + 1, WINDOW);
        }

        /** The 95th percentile of the samples (nearest rank), or the initial floor before the first. */
        synchronized long floorNanos() {
            if (count == 0) {
                return INITIAL_FLOOR_NANOS;
            }
            long[] sorted = Arrays.copyOf(samples, count);
            Arrays.sort(sorted);
            int rank = (int) Math.ceil(0.95 * count);
            return sorted[rank - 1];
        }
    }
}
