package dev.keyward.apitoken;

import dev.keyward.common.ClusterSlots;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Failed presentations of API tokens, counted cluster-wide in a window: per token id and client
 * address (someone holding a token's prefix, guessing its secret) and per address (someone
 * spraying made-up tokens). Once a count is full, every presentation from there is refused, right
 * or wrong, until the window ends. Keycloak's per-user brute-force lock is not used: a script's
 * wrong token would lock its owner out of signing in.
 */
final class GuessLimits {
    private final int perToken;
    private final int perAddress;
    private final int windowSeconds;

    GuessLimits(int perToken, int perAddress, int windowSeconds) {
        this.perToken = Math.max(1, perToken);
        this.perAddress = Math.max(1, perAddress);
        this.windowSeconds = Math.max(1, windowSeconds);
    }

    int windowSeconds() {
        return windowSeconds;
    }

    /** @return whether presentations of {@code tokenId} (null: unknown) from {@code address} are refused */
    boolean blocked(SingleUseObjectProvider store, String tokenId, String address) {
        ClusterSlots byAddress = addressSlots(store, address);
        if (store.contains(byAddress.key(byAddress.count() - 1))) {
            return true;
        }
        if (tokenId == null) {
            return false;
        }
        ClusterSlots byToken = tokenSlots(store, tokenId, address);
        return store.contains(byToken.key(byToken.count() - 1));
    }

    /** Counts one failure. */
    void failed(SingleUseObjectProvider store, String tokenId, String address) {
        addressSlots(store, address).claimHinted(windowSeconds);
        if (tokenId != null) {
            tokenSlots(store, tokenId, address).claimHinted(windowSeconds);
        }
    }

    private ClusterSlots addressSlots(SingleUseObjectProvider store, String address) {
        return new ClusterSlots(store, "kw-apitoken-fail:" + address + ":", perAddress);
    }

    private ClusterSlots tokenSlots(SingleUseObjectProvider store, String tokenId, String address) {
        return new ClusterSlots(store, "kw-apitoken-fail:" + tokenId + "@" + address + ":", perToken);
    }
}
