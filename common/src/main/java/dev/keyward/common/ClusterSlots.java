package dev.keyward.common;

import java.util.Map;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * A bounded set of numbered slots in Keycloak's cluster-wide {@link SingleUseObjectProvider}: at
 * most {@code count} holders at once, on every node. The store has no counter, so each slot is a
 * key claimed with {@code putIfAbsent}, which exactly one caller wins under races; a loser moves
 * on to the next slot. Releasing is a {@code remove}, which also exactly one caller wins, so a
 * slot is never counted as freed twice.
 *
 * <p>Used for the open OPAQUE guesses of a user, the email-code sends of an hour and the header
 * proxy's request windows and open streams.
 */
public final class ClusterSlots {
    private static final String NEXT = "next";

    private final SingleUseObjectProvider store;
    private final String prefix;
    private final int count;

    /**
     * @param store the cluster-wide store
     * @param prefix the keys' common start; every slot is {@code prefix + number}
     * @param count how many slots there are
     */
    public ClusterSlots(SingleUseObjectProvider store, String prefix, int count) {
        this.store = store;
        this.prefix = prefix;
        this.count = Math.max(0, count);
    }

    /** @return how many slots there are */
    public int count() {
        return count;
    }

    /** @return the key of slot {@code i} */
    public String key(int i) {
        return prefix + i;
    }

    /** @return whether {@code key} is one of these slots (a key from elsewhere is never released here) */
    public boolean owns(String key) {
        return key != null && key.startsWith(prefix);
    }

    /**
     * Claims the first free slot.
     *
     * @param lifespanSeconds how long the claim lives unless released or renewed
     * @return the claimed slot's key, or null when every slot is taken
     */
    public String claim(long lifespanSeconds) {
        return claimFrom(0, lifespanSeconds);
    }

    /**
     * Claims a slot starting at a hint of where the next free one probably is, for slots that are
     * never released inside their lifespan (a fixed window's requests). The hint is written only
     * after the slot below it was claimed, so every slot under any hint is taken and walking on from
     * it skips nothing; a stale hint costs a few more steps, never a wrong answer.
     *
     * @return the claimed slot's key, or null when every slot is taken
     */
    public String claimHinted(long lifespanSeconds) {
        String hintKey = prefix + NEXT;
        String key = claimFrom(hint(store.get(hintKey)), lifespanSeconds);
        if (key != null) {
            int next = Integer.parseInt(key.substring(prefix.length())) + 1;
            store.put(hintKey, lifespanSeconds, Map.of(NEXT, Integer.toString(next)));
        }
        return key;
    }

    private String claimFrom(int first, long lifespanSeconds) {
        for (int i = first; i < count; i++) {
            if (store.putIfAbsent(key(i), lifespanSeconds)) {
                return key(i);
            }
        }
        return null;
    }

    private int hint(Map<String, String> notes) {
        if (notes == null || notes.get(NEXT) == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(count, Integer.parseInt(notes.get(NEXT))));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /**
     * Frees a slot.
     *
     * @param key a key {@link #claim} returned
     * @return true if this call freed it; false if it was free already or is not one of these slots
     */
    public boolean release(String key) {
        return owns(key) && store.remove(key) != null;
    }

    /** Keeps a long holder's slot alive; a node that dies stops renewing, and the slot expires. */
    public void renew(String key, long lifespanSeconds) {
        if (owns(key)) {
            store.put(key, lifespanSeconds, Map.of());
        }
    }
}
