package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MemoryStore;
import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;

/** The mimic follows Keycloak 26.7's DefaultBruteForceProtector for the same realm settings. */
class UnknownNameLockoutTest {
    /** The export's settings: 5 failures, 60 s steps up to 15 min, quick-login 1 s / 60 s, reset after 12 h. */
    private static final UnknownNameLockout.Policy EXPORT =
            new UnknownNameLockout.Policy(true, false, 0, 5, 60, 900, 1000, 60, 43200, true);

    private static final long T0 = 1_700_000_000_000L;

    private final MemoryStore store = new MemoryStore();

    private UnknownNameLockout.Policy policy = EXPORT;

    private void use(UnknownNameLockout.Policy policy) {
        this.policy = policy;
    }

    /** One request's failures: counted, then written. */
    private void fail(long now, int failures) {
        UnknownNameLockout lockout = new UnknownNameLockout(store, "realm", "name.x", policy);
        lockout.failed(now, failures);
        lockout.flush();
    }

    /** A later request's lock check. */
    private String lockError(long now) {
        return new UnknownNameLockout(store, "realm", "name.x", policy).lockError(now);
    }

    @Test
    void theFifthSlowFailureLocksForTheWaitIncrement() {
        use(EXPORT);
        long now = T0;
        for (int i = 0; i < 4; i++) {
            fail(now, 1);
            assertNull(lockError(now), "locked after " + (i + 1));
            now += 2_000;
        }
        fail(now, 1);
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now));
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now + 59_000));
        assertNull(lockError(now + 60_000));
    }

    @Test
    void theTenthFailureLocksTwiceAsLongUpToTheMaximum() {
        use(EXPORT);
        long now = T0;
        for (int i = 0; i < 10; i++) {
            now += 2_000;
            fail(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now + 119_000));
        assertNull(lockError(now + 120_000));
        for (int i = 0; i < 100; i++) {
            now += 2_000;
            fail(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now + 899_000));
        assertNull(lockError(now + 900_000), "longer than maxFailureWaitSeconds");
    }

    @Test
    void twoFailuresWithinASecondLockForTheQuickLoginWait() {
        use(EXPORT);
        fail(T0, 1);
        fail(T0 + 500, 1);
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(T0 + 500 + 59_000));
        assertNull(lockError(T0 + 500 + 61_000));
    }

    @Test
    void failuresCountedTogetherAreOneWriteAndCountOneByOne() {
        use(EXPORT);
        fail(T0, 3);
        assertEquals(
                "3",
                store.entries.get("keyward-opaque-unknown-lockout:realm:name.x").get("n"));
        // the second and third came within the quick-login check of the first, as the three
        // abandoned guesses of an account reach Keycloak's protector
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(T0 + 59_000));
        assertNull(lockError(T0 + 61_000));
    }

    @Test
    void aRequestSeesTheLockAsStoredBeforeItsOwnFailures() {
        fail(T0, 1);
        UnknownNameLockout lockout = new UnknownNameLockout(store, "realm", "name.x", EXPORT);
        lockout.failed(T0 + 500, 1);
        assertNull(lockout.lockError(T0 + 600), "the request's own failure, as Keycloak applies it after the request");
        assertEquals(
                "1",
                store.entries.get("keyward-opaque-unknown-lockout:realm:name.x").get("n"),
                "written before flush");
        lockout.flush();
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(T0 + 700));
    }

    @Test
    void failuresOlderThanTheResetTimeAreForgotten() {
        use(EXPORT);
        long now = T0;
        for (int i = 0; i < 4; i++) {
            now += 2_000;
            fail(now, 1);
        }
        now += 43_200_000 + 1;
        fail(now, 1);
        assertNull(lockError(now), "the fifth failure after the reset is the first");
        assertEquals(EXPORT.lifespanSeconds(), store.lifespans.get("keyward-opaque-unknown-lockout:realm:name.x"));
    }

    @Test
    void linearStrategyLocksLongerForEveryFailureAfterTheFactor() {
        UnknownNameLockout.Policy linear =
                new UnknownNameLockout.Policy(true, false, 0, 5, 60, 900, 1000, 60, 43200, false);
        use(linear);
        long now = T0;
        for (int i = 0; i < 6; i++) {
            now += 2_000;
            fail(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now + 119_000));
        assertNull(lockError(now + 120_000));
    }

    @Test
    void permanentLockoutDisablesAfterTheAllowedTemporaryLockouts() {
        UnknownNameLockout.Policy permanent =
                new UnknownNameLockout.Policy(true, true, 1, 2, 60, 900, 1000, 60, 43200, true);
        use(permanent);
        long now = T0;
        for (int i = 0; i < 2; i++) {
            now += 2_000;
            fail(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockError(now), "the first lockout is temporary");
        for (int i = 0; i < 2; i++) {
            now += 120_000;
            fail(now, 1);
        }
        assertEquals(Errors.USER_DISABLED, lockError(now + 10_000_000));
        assertTrue(store.lifespans.get("keyward-opaque-unknown-lockout:realm:name.x")
                >= GuessLedger.MIN_SLOT_LIFESPAN_SECONDS);
    }

    @Test
    void permanentLockoutWithoutTemporaryOnesDisablesAtTheFactor() {
        UnknownNameLockout.Policy permanent =
                new UnknownNameLockout.Policy(true, true, 0, 3, 60, 900, 1000, 60, 43200, true);
        use(permanent);
        long now = T0;
        for (int i = 0; i < 2; i++) {
            now += 2_000;
            fail(now, 1);
            assertNull(lockError(now));
        }
        fail(now + 2_000, 1);
        assertEquals(Errors.USER_DISABLED, lockError(now + 2_000));
    }

    @Test
    void withoutBruteForceProtectionNothingLocks() {
        UnknownNameLockout.Policy off =
                new UnknownNameLockout.Policy(false, false, 0, 1, 60, 900, 1000, 60, 43200, true);
        use(off);
        for (int i = 0; i < 10; i++) {
            fail(T0 + i, 1);
        }
        assertNull(lockError(T0 + 10));
        assertTrue(store.entries.isEmpty());
    }
}
