package dev.keyward.proxy;

import dev.keyward.common.ClusterSlots;
import java.util.Optional;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The per-user request rate and concurrent-stream limits, kept in Keycloak's
 * {@link SingleUseObjectProvider} so every node of a cluster sees the same counts. The store has no
 * counter, so both are {@link ClusterSlots}.
 */
final class ProxyLimits {
    /** How long a stream slot lives unless the stream renews it. */
    static final long STREAM_SLOT_SECONDS = 60;

    private static final String STREAMS = "keyward-proxy.stream.";

    private final SingleUseObjectProvider store;

    ProxyLimits(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Takes one of {@code limit} request slots of the current fixed window. The slots are never
     * freed inside their window, so a hint says where the next free one probably is
     * ({@link ClusterSlots#claimHinted}): usually one read and two writes per request.
     *
     * @return empty if allowed, else the seconds until the window ends
     */
    Optional<Long> claimRequest(
            String realmId, String userId, String providerId, int limit, int windowSeconds, long nowSeconds) {
        long window = nowSeconds / windowSeconds;
        long remaining = (window + 1) * windowSeconds - nowSeconds;
        String base = "keyward-proxy.rate." + realmId + "." + userId + "." + providerId + "." + windowSeconds + "."
                + window + ".";
        return new ClusterSlots(store, base, limit).claimHinted(remaining + 1) == null
                ? Optional.of(remaining)
                : Optional.empty();
    }

    /** @return the claimed stream slot's key, or empty when the user has {@code max} streams open */
    Optional<String> claimStream(String realmId, String userId, int max) {
        return Optional.ofNullable(streams(realmId, userId, max).claim(STREAM_SLOT_SECONDS));
    }

    /** Keeps a long stream's slot alive; a node that dies stops renewing, and the slot expires. */
    void renewStream(String key) {
        streams().renew(key, STREAM_SLOT_SECONDS);
    }

    void releaseStream(String key) {
        streams().release(key);
    }

    private ClusterSlots streams(String realmId, String userId, int max) {
        return new ClusterSlots(store, STREAMS + realmId + "." + userId + ".", max);
    }

    /** Every user's stream slots, to renew or release a key one of them handed out. */
    private ClusterSlots streams() {
        return new ClusterSlots(store, STREAMS, 0);
    }
}
