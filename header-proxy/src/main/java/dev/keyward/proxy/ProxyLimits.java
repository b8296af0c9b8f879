package dev.keyward.proxy;

import java.util.Map;
import java.util.Optional;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The per-user request rate and concurrent-stream limits, kept in Keycloak's
 * {@link SingleUseObjectProvider} so every node of a cluster sees the same counts. The store has no
 * counter, so both are made of slot keys that are claimed atomically with {@code putIfAbsent}.
 */
final class ProxyLimits {
    /** How long a stream slot lives unless the stream renews it. */
    static final long STREAM_SLOT_SECONDS = 60;

    private static final String NEXT = "next";

    private final SingleUseObjectProvider store;

    ProxyLimits(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Takes one of {@code limit} request slots of the current fixed window. Slots are claimed in
     * order with {@code putIfAbsent}, which makes each claim exact under races (a loser moves on to
     * the next slot), and never freed inside their window. A hint key remembers where the next free
     * slot probably is; it is written only after the slot below it was claimed, so every slot
     * under any hint is taken and walking forward from it skips nothing. A stale hint costs a few
     * extra steps, never a wrong answer: usually one read and two writes per request.
     *
     * @return empty if allowed, else the seconds until the window ends
     */
    Optional<Long> claimRequest(
            String realmId, String userId, String providerId, int limit, int windowSeconds, long nowSeconds) {
        long window = nowSeconds / windowSeconds;
        long remaining = (window + 1) * windowSeconds - nowSeconds;
        String base = "keyward-proxy.rate." + realmId + "." + userId + "." + providerId + "." + windowSeconds + "."
                + window + ".";
        String hintKey = base + "next";
        for (int slot = hint(store.get(hintKey), limit); slot < limit; slot++) {
            if (store.putIfAbsent(base + slot, remaining + 1)) {
                store.put(hintKey, remaining + 1, Map.of(NEXT, Integer.toString(slot + 1)));
                return Optional.empty();
            }
        }
        return Optional.of(remaining);
    }

    private static int hint(Map<String, String> notes, int limit) {
        if (notes == null || notes.get(NEXT) == null) {
            return 0;
        }
        try {
            return Math.max(0, Math.min(limit, Integer.parseInt(notes.get(NEXT))));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** @return the claimed stream slot's key, or empty when the user has {@code max} streams open */
    Optional<String> claimStream(String realmId, String userId, int max) {
        String base = "keyward-proxy.stream." + realmId + "." + userId + ".";
        for (int slot = 0; slot < max; slot++) {
            if (store.putIfAbsent(base + slot, STREAM_SLOT_SECONDS)) {
                return Optional.of(base + slot);
            }
        }
        return Optional.empty();
    }

    /** Keeps a long stream's slot alive; a node that dies stops renewing, and the slot expires. */
    void renewStream(String key) {
        store.put(key, STREAM_SLOT_SECONDS, Map.of());
    }

    void releaseStream(String key) {
        store.remove(key);
    }
}
