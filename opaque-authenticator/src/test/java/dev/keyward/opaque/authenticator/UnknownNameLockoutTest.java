package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.keycloak.events.Errors;

/** The mimic follows Keycloak 26.7's DefaultBruteForceProtector for the same realm settings. */
class UnknownNameLockoutTest {
    /** The export's settings: 5 failures, 60 s steps up to 15 min, quick-login 1 s / 60 s, reset after 12 h. */
    private static final UnknownNameLockout.Policy EXPORT =
            new UnknownNameLockout.Policy(true, false, 0, 5, 60, 900, 1000, 60, 43200, true);
    private static final long T0 = 1_700_000_000_000L;

    private final GuessLedgerTest.MapStore store = new GuessLedgerTest.MapStore();

    private UnknownNameLockout lockout(UnknownNameLockout.Policy policy) {
        return new UnknownNameLockout(store, "realm", "name.x", policy);
    }

    @Test
    void theFifthSlowFailureLocksForTheWaitIncrement() {
        UnknownNameLockout lockout = lockout(EXPORT);
        long now = T0;
        for (int i = 0; i < 4; i++) {
            lockout.failed(now, 1);
            assertNull(lockout.lockError(now), "locked after " + (i + 1));
            now += 2_000;
        }
        lockout.failed(now, 1);
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now));
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now + 59_000));
        assertNull(lockout.lockError(now + 60_000));
    }

    @Test
    void theTenthFailureLocksTwiceAsLongUpToTheMaximum() {
        UnknownNameLockout lockout = lockout(EXPORT);
        long now = T0;
        for (int i = 0; i < 10; i++) {
            now += 2_000;
            lockout.failed(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now + 119_000));
        assertNull(lockout.lockError(now + 120_000));
        for (int i = 0; i < 100; i++) {
            now += 2_000;
            lockout.failed(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now + 899_000));
        assertNull(lockout.lockError(now + 900_000), "longer than maxFailureWaitSeconds");
    }

    @Test
    void twoFailuresWithinASecondLockForTheQuickLoginWait() {
        UnknownNameLockout lockout = lockout(EXPORT);
        lockout.failed(T0, 1);
        lockout.failed(T0 + 500, 1);
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(T0 + 500 + 59_000));
        assertNull(lockout.lockError(T0 + 500 + 61_000));
    }

    @Test
    void failuresCountedTogetherAreOneWriteAndCountOneByOne() {
        UnknownNameLockout lockout = lockout(EXPORT);
        lockout.failed(T0, 3);
        assertEquals("3", store.entries.get("keyward-opaque-unknown-lockout:realm:name.x").get("n"));
        // the second and third came within the quick-login check of the first, as the three
        // abandoned guesses of an account reach Keycloak's protector
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, new UnknownNameLockout(store, "realm", "name.x", EXPORT).lockError(T0 + 59_000));
        assertNull(lockout(EXPORT).lockError(T0 + 61_000));
    }

    @Test
    void failuresOlderThanTheResetTimeAreForgotten() {
        UnknownNameLockout lockout = lockout(EXPORT);
        long now = T0;
        for (int i = 0; i < 4; i++) {
            now += 2_000;
            lockout.failed(now, 1);
        }
        now += 43_200_000 + 1;
        lockout.failed(now, 1);
        assertNull(lockout.lockError(now), "the fifth failure after the reset is the first");
        assertEquals(EXPORT.lifespanSeconds(), store.lifespans.get("keyward-opaque-unknown-lockout:realm:name.x"));
    }

    @Test
    void linearStrategyLocksLongerForEveryFailureAfterTheFactor() {
        UnknownNameLockout.Policy linear = new UnknownNameLockout.Policy(true, false, 0, 5, 60, 900, 1000, 60, 43200, false);
        UnknownNameLockout lockout = lockout(linear);
        long now = T0;
        for (int i = 0; i < 6; i++) {
            now += 2_000;
            lockout.failed(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now + 119_000));
        assertNull(lockout.lockError(now + 120_000));
    }

    @Test
    void permanentLockoutDisablesAfterTheAllowedTemporaryLockouts() {
        UnknownNameLockout.Policy permanent = new UnknownNameLockout.Policy(true, true, 1, 2, 60, 900, 1000, 60, 43200, true);
        UnknownNameLockout lockout = lockout(permanent);
        long now = T0;
        for (int i = 0; i < 2; i++) {
            now += 2_000;
            lockout.failed(now, 1);
        }
        assertEquals(Errors.USER_TEMPORARILY_DISABLED, lockout.lockError(now), "the first lockout is temporary");
        for (int i = 0; i < 2; i++) {
            now += 120_000;
            lockout.failed(now, 1);
        }
        assertEquals(Errors.USER_DISABLED, lockout.lockError(now + 10_000_000));
        assertTrue(store.lifespans.get("keyward-opaque-unknown-lockout:realm:name.x") >= GuessLedger.MIN_SLOT_LIFESPAN_SECONDS);
    }

    @Test
    void permanentLockoutWithoutTemporaryOnesDisablesAtTheFactor() {
        UnknownNameLockout.Policy permanent = new UnknownNameLockout.Policy(true, true, 0, 3, 60, 900, 1000, 60, 43200, true);
        UnknownNameLockout lockout = lockout(permanent);
        long now = T0;
        for (int i = 0; i < 2; i++) {
            now += 2_000;
            lockout.failed(now, 1);
            assertNull(lockout.lockError(now));
        }
        lockout.failed(now + 2_000, 1);
        assertEquals(Errors.USER_DISABLED, lockout.lockError(now + 2_000));
    }

    @Test
    void withoutBruteForceProtectionNothingLocks() {
        UnknownNameLockout.Policy off = new UnknownNameLockout.Policy(false, false, 0, 1, 60, 900, 1000, 60, 43200, true);
        UnknownNameLockout lockout = lockout(off);
        for (int i = 0; i < 10; i++) {
            lockout.failed(T0 + i, 1);
        }
        assertNull(lockout.lockError(T0 + 10));
        assertTrue(store.entries.isEmpty());
    }
}
