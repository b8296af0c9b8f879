package dev.keyward.opaque.authenticator;

import dev.keyward.common.ClusterSlots;
import java.time.Duration;
import java.util.Map;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The OPAQUE password guesses of one user that are still open: a real KE2 went out and no KE3
 * has settled it. With KE2 a client tests one password guess offline, so every guess counts as a
 * brute-force failure unless its login succeeds.
 *
 * <p>Why not report each KE1 as a failure and let the successful KE3 clear it? Keycloak's
 * brute-force protector applies failures and successes asynchronously, and while one of a user's
 * reports is pending it treats that user as temporarily locked. Under load the failure of a good
 * login was still pending when the same user came back, so legitimate users were refused (a load
 * test of 200 concurrent logins failed most of them). Here a good login reports nothing; a guess
 * is reported only when it fails: at once for a wrong KE3, or, when the client never sent KE3,
 * by the user's next KE1 that finds the guess older than the KE3 deadline.
 *
 * <p>No guess goes uncounted by waiting: a slot lives until a later KE1 of the user counts it,
 * for 30 days, or longer when Keycloak would remember the failure it stands for longer (the
 * realm's failure reset time, {@code maxDeltaTimeSeconds}, plus the KE3 deadline). A slot that
 * expires uncounted is therefore one whose failure Keycloak's protector would have forgotten by
 * then had it been reported at once (unless failures of other methods, which send no KE1, kept the
 * user's count alive all that time), and an attacker who waits gets at most {@link #SLOTS}
 * guesses a month, against the {@code failureFactor - 1} per failure reset time Keycloak's own
 * form allows. The slots cost no more memory for being kept longer: a user never has more than
 * {@link #SLOTS}. The store is Keycloak's cluster-wide one, so only a restart of every node at
 * once loses open slots.
 *
 * <p>Each user has {@link #SLOTS} {@link ClusterSlots}. A KE1 claims a free one and stamps when;
 * a KE1 that finds none free gets no real KE2, so no more than {@link #SLOTS} guesses are ever
 * uncounted. Exactly one caller wins the release of a slot, so no guess is counted twice.
 */
final class GuessLedger {
    /** Open guesses a user may have at once (two browser tabs and a retry). */
    static final int SLOTS = 3;
    /** The shortest time an abandoned slot waits to be found by a later KE1 of the same user: 30 days. */
    static final long MIN_SLOT_LIFESPAN_SECONDS = 30L * 24 * 60 * 60;

    private static final String OPENED_AT = "t";

    private final SingleUseObjectProvider store;
    private final ClusterSlots slots;
    private final long deadlineMillis;
    private final long lifespanSeconds;

    /**
     * @param store the cluster-wide store
     * @param realmId the user's realm
     * @param userId the user
     * @param ke3Deadline how long a client has from KE2 to KE3 before its guess counts as abandoned
     * @param failureResetSeconds the realm's brute-force failure reset time ({@code maxDeltaTimeSeconds})
     */
    GuessLedger(
            SingleUseObjectProvider store,
            String realmId,
            String userId,
            Duration ke3Deadline,
            long failureResetSeconds) {
        this.store = store;
        this.slots = new ClusterSlots(store, "keyward-opaque-guess:" + realmId + ":" + userId + ":", SLOTS);
        this.deadlineMillis = ke3Deadline.toMillis();
        this.lifespanSeconds = lifespanSeconds(ke3Deadline, failureResetSeconds);
    }

    /** How long a slot is kept: as long as its failure would count, and at least {@link #MIN_SLOT_LIFESPAN_SECONDS}. */
    static long lifespanSeconds(Duration ke3Deadline, long failureResetSeconds) {
        long needed = Math.max(0, failureResetSeconds) + ke3Deadline.toSeconds() + 1;
        return Math.max(MIN_SLOT_LIFESPAN_SECONDS, needed);
    }

    /**
     * Closes the user's guesses that are older than the KE3 deadline.
     *
     * @return how many this call closed; each is one failure to report
     */
    int sweep(long nowMillis) {
        int abandoned = 0;
        for (int i = 0; i < SLOTS; i++) {
            Map<String, String> stamp = store.get(slots.key(i) + ".t");
            // no stamp: the slot is being claimed right now, or free
            if (stamp != null && nowMillis - parse(stamp.get(OPENED_AT)) > deadlineMillis && close(slots.key(i))) {
                abandoned++;
            }
        }
        return abandoned;
    }

    /**
     * Opens a guess in a free slot.
     *
     * @return the slot's key, to keep until KE3; null when all slots are taken
     */
    String open(long nowMillis) {
        String slot = slots.claim(lifespanSeconds);
        if (slot != null) {
            store.put(slot + ".t", lifespanSeconds, Map.of(OPENED_AT, Long.toString(nowMillis)));
        }
        return slot;
    }

    /**
     * Closes a guess.
     *
     * @param slot a key {@link #open} returned
     * @return true if this call closed it; false if it was closed already (settled, or swept and counted)
     */
    boolean close(String slot) {
        boolean closed = slots.release(slot);
        if (closed) {
            store.remove(slot + ".t");
        }
        return closed;
    }

    private static long parse(String millis) {
        try {
            return Long.parseLong(millis);
        } catch (NumberFormatException | NullPointerException e) {
            // a stamp we cannot read is treated as just written: never counted by mistake
            return Long.MAX_VALUE;
        }
    }
}
