package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MemoryStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class GuessLedgerTest {
    private static final Duration DEADLINE = Duration.ofSeconds(120);

    private final MemoryStore store = new MemoryStore();
    private final GuessLedger alice = new GuessLedger(store, "realm", "alice", DEADLINE, 43_200);

    @Test
    void atMostThreeGuessesAreOpenAtOnceAndClosingFreesASlot() {
        List<String> open = new ArrayList<>();
        for (int i = 0; i < GuessLedger.SLOTS; i++) {
            open.add(alice.open(1000));
        }
        assertEquals(3, open.stream().distinct().count());
        assertNull(alice.open(1000), "a fourth open guess");
        assertTrue(alice.close(open.get(1)));
        assertNotNull(alice.open(1000));
    }

    @Test
    void aGuessClosesOnceAndItsSettlementIsNotCountedAgainBySweeping() {
        String guess = alice.open(1000);
        assertTrue(alice.close(guess));
        assertFalse(alice.close(guess), "closed twice");
        assertEquals(0, alice.sweep(1000 + DEADLINE.toMillis() + 1));
    }

    @Test
    void sweepingClosesOnlyGuessesPastTheDeadlineAndTheirOwnerCannotCloseThemAgain() {
        String old = alice.open(1000);
        String recent = alice.open(1000 + DEADLINE.toMillis());
        assertEquals(0, alice.sweep(1000 + DEADLINE.toMillis()), "at the deadline, not past it");
        assertEquals(1, alice.sweep(1000 + DEADLINE.toMillis() + 1));
        assertFalse(alice.close(old), "a swept guess settled again by its late KE3");
        assertTrue(alice.close(recent));
    }

    @Test
    void usersAndRealmsHaveTheirOwnSlotsAndForeignSlotsAreNotClosed() {
        GuessLedger bob = new GuessLedger(store, "realm", "bob", DEADLINE, 43_200);
        GuessLedger aliceElsewhere = new GuessLedger(store, "other", "alice", DEADLINE, 43_200);
        for (int i = 0; i < GuessLedger.SLOTS; i++) {
            alice.open(1000);
        }
        assertNotNull(bob.open(1000));
        String elsewhere = aliceElsewhere.open(1000);
        assertNotNull(elsewhere);
        assertFalse(alice.close(elsewhere), "a slot of another realm's ledger");
        assertFalse(bob.close("keyward-opaque-guess:realm:alice:0"), "a slot of another user");
    }

    @Test
    void anUnreadableStampIsNeverSweptAsAbandoned() {
        String guess = alice.open(1000);
        store.put(guess + ".t", 60, Map.of("t", "not-a-number"));
        assertEquals(0, alice.sweep(Long.MAX_VALUE / 2));
        assertTrue(alice.close(guess));
    }

    /** Eight threads sweeping the same three abandoned guesses count each exactly once. */
    @Test
    void concurrentSweepsCountEachAbandonedGuessOnce() throws Exception {
        for (int i = 0; i < GuessLedger.SLOTS; i++) {
            alice.open(1000);
        }
        AtomicInteger counted = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> sweeps = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                sweeps.add(pool.submit(() -> counted.addAndGet(
                        new GuessLedger(store, "realm", "alice", DEADLINE, 43_200).sweep(10_000_000))));
            }
            for (Future<?> f : sweeps) {
                f.get();
            }
        } finally {
            pool.shutdown();
        }
        assertEquals(3, counted.get());
        assertTrue(store.entries.isEmpty(), store.entries.keySet().toString());
    }

    /**
     * An abandoned guess is not forgotten before Keycloak would forget its failure: a month at
     * least, longer when the realm's failure reset time is longer.
     */
    @Test
    void openSlotsLiveAtLeastAsLongAsTheFailureTheyStandFor() {
        assertEquals(30L * 24 * 3600, GuessLedger.lifespanSeconds(DEADLINE, 43_200));
        long year = 365L * 24 * 3600;
        assertTrue(GuessLedger.lifespanSeconds(DEADLINE, year) > year + DEADLINE.toSeconds());
        assertNotNull(alice.open(1_000));
        assertFalse(store.lifespans.isEmpty());
        store.lifespans.values().forEach(l -> assertEquals(30L * 24 * 3600, l));
        GuessLedger strict = new GuessLedger(store, "realm", "carol", DEADLINE, year);
        assertNotNull(strict.open(1_000));
        assertTrue(store.lifespans.get("keyward-opaque-guess:realm:carol:0") > year);
    }
}
