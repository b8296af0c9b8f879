package dev.keyward.opaque.authenticator;

import java.util.HashMap;
import java.util.Map;
import org.keycloak.events.Errors;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
import org.keycloak.representations.idm.RealmRepresentation;

/**
 * Keycloak's brute-force lockout, played for a name that matches no user.
 *
 * <p>A locked account's KE1 is answered under a withheld key, so its evaluation changes when the
 * lock starts and when it ends. Keycloak keeps no failures for a name without a user; without this
 * an attacker could fail five KE3s, send the same blinded element again and tell an account (the
 * answer changed) from an unknown name (it did not). This class keeps the same counters Keycloak's
 * {@code DefaultBruteForceProtector} keeps for a user (failures, last failure, lockouts, not-before)
 * under the name's key in the cluster-wide store, and applies the same rules, with the realm's
 * settings at each call. Updates are read-then-write, not atomic: two racing failures may count as
 * one, which only blurs the mimic (Keycloak's own counter is applied asynchronously too). Names
 * share a bounded set of keys ({@link OpenGuesses#nameKey}), so random names cannot fill the
 * store.
 */
final class UnknownNameLockout {
    private static final String FAILURES = "n";
    private static final String LAST_FAILURE = "l";
    private static final String NOT_BEFORE = "b";
    private static final String LOCKOUTS = "t";
    private static final String PERMANENT = "p";

    /** The realm's brute-force settings that the lockout depends on. */
    record Policy(
            boolean enabled,
            boolean permanentLockout,
            int maxTemporaryLockouts,
            int failureFactor,
            int waitIncrementSeconds,
            int maxFailureWaitSeconds,
            long quickLoginCheckMillis,
            int minimumQuickLoginWaitSeconds,
            int maxDeltaTimeSeconds,
            boolean multiple) {

        static Policy of(RealmModel realm) {
            return new Policy(
                    realm.isBruteForceProtected(),
                    realm.isPermanentLockout(),
                    realm.getMaxTemporaryLockouts(),
                    realm.getFailureFactor(),
                    realm.getWaitIncrementSeconds(),
                    realm.getMaxFailureWaitSeconds(),
                    realm.getQuickLoginCheckMilliSeconds(),
                    realm.getMinimumQuickLoginWaitSeconds(),
                    realm.getMaxDeltaTimeSeconds(),
                    realm.getBruteForceStrategy() == RealmRepresentation.BruteForceStrategy.MULTIPLE);
        }

        /**
         * As long as Keycloak keeps a user's failures: the reset time after the last one (longer
         * when a lock outlasts it); a permanent lock as long as a guess slot, since an account's
         * stays until an admin lifts it.
         */
        long lifespanSeconds() {
            long needed = Math.max(Math.max(0, maxDeltaTimeSeconds), (long)
                            Math.max(maxFailureWaitSeconds, minimumQuickLoginWaitSeconds))
                    + 1;
            return permanentLockout ? Math.max(GuessLedger.MIN_SLOT_LIFESPAN_SECONDS, needed) : needed;
        }
    }

    private final SingleUseObjectProvider store;
    private final String key;
    private final Policy policy;
    private Map<String, String> stored;
    private Map<String, String> pending;

    /**
     * @param store the cluster-wide store
     * @param realmId the realm
     * @param nameKey a keyed hash of the name (never the name itself: the store is not secret)
     * @param policy the realm's settings now
     */
    UnknownNameLockout(SingleUseObjectProvider store, String realmId, String nameKey, Policy policy) {
        this.store = store;
        this.key = "keyward-opaque-unknown-lockout:" + realmId + ":" + nameKey;
        this.policy = policy;
    }

    /**
     * The lock as stored before this request: Keycloak's protector applies a request's failures
     * after it (asynchronously), so an account's lock check never sees the failures its own
     * request reported.
     *
     * @return the event error Keycloak's check gives an account in this state ({@code user_disabled},
     *     {@code user_temporarily_disabled}), or null when not locked
     */
    String lockError(long nowMillis) {
        if (!policy.enabled()) {
            return null;
        }
        Map<String, String> state = stored();
        if (state.isEmpty()) {
            return null;
        }
        if (policy.permanentLockout()
                && (state.containsKey(PERMANENT) || number(state, LOCKOUTS) > policy.maxTemporaryLockouts())) {
            return Errors.USER_DISABLED;
        }
        return nowMillis / 1000L < number(state, NOT_BEFORE) ? Errors.USER_TEMPORARILY_DISABLED : null;
    }

    /**
     * Failed guesses, each counted as Keycloak counts a user's; kept until {@link #flush}.
     *
     * @param failures how many, all at {@code nowMillis}
     */
    void failed(long nowMillis, int failures) {
        if (!policy.enabled() || failures <= 0) {
            return;
        }
        if (pending == null) {
            pending = new HashMap<>(stored());
        }
        for (int i = 0; i < failures; i++) {
            apply(pending, nowMillis);
        }
    }

    /** Writes this request's failures: once, as the cluster store takes one write per key in a transaction. */
    void flush() {
        if (pending != null) {
            store.put(key, policy.lifespanSeconds(), pending);
            stored = pending;
            pending = null;
        }
    }

    private Map<String, String> stored() {
        if (stored == null) {
            Map<String, String> found = store.get(key);
            stored = found == null ? Map.of() : found;
        }
        return stored;
    }

    /** DefaultBruteForceProtector.failure, on this name's counters. */
    private void apply(Map<String, String> state, long nowMillis) {
        long last = number(state, LAST_FAILURE);
        long delta = last > 0 ? nowMillis - last : 0;
        long failures = number(state, FAILURES);
        long lockouts = number(state, LOCKOUTS);
        boolean neverReset = policy.permanentLockout() && policy.maxTemporaryLockouts() == 0;
        if (!neverReset && delta > 0 && delta > policy.maxDeltaTimeSeconds() * 1000L) {
            // Keycloak's clearFailures: the count, the lock and the lockouts start over
            failures = 0;
            lockouts = 0;
            state.remove(NOT_BEFORE);
        }
        failures++;
        long wait = 0;
        if (!policy.permanentLockout() || policy.maxTemporaryLockouts() != 0) {
            wait = policy.multiple()
                    ? (long) policy.waitIncrementSeconds() * (failures / Math.max(1, policy.failureFactor()))
                    : (long) policy.waitIncrementSeconds() * (1 + failures - policy.failureFactor());
        }
        boolean quick = false;
        if (wait <= 0 && last > 0 && delta < policy.quickLoginCheckMillis()) {
            wait = policy.minimumQuickLoginWaitSeconds();
            quick = true;
        }
        if (wait > 0) {
            if (!policy.permanentLockout() || policy.maxTemporaryLockouts() > 0) {
                wait = Math.min(policy.maxFailureWaitSeconds(), wait);
            }
            if (!quick) {
                lockouts++;
            }
            if (quick || !policy.permanentLockout() || lockouts <= policy.maxTemporaryLockouts()) {
                state.put(NOT_BEFORE, Long.toString(nowMillis / 1000L + wait));
            }
        }
        if (policy.permanentLockout()
                && (lockouts > policy.maxTemporaryLockouts()
                        || policy.maxTemporaryLockouts() == 0 && failures >= policy.failureFactor())) {
            state.put(PERMANENT, "1");
        }
        state.put(FAILURES, Long.toString(failures));
        state.put(LOCKOUTS, Long.toString(lockouts));
        state.put(LAST_FAILURE, Long.toString(nowMillis));
    }

    private static long number(Map<String, String> state, String field) {
        try {
            String value = state.get(field);
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
