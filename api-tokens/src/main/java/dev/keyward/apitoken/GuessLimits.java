package dev.keyward.apitoken;

import dev.keyward.common.ClusterSlots;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Failed presentations of API tokens in one realm, counted cluster-wide in a window: per claimed
 * token id and client address (someone holding a token's prefix, guessing its secret) and per
 * address (someone spraying made-up tokens). IPv6 addresses count per /64, what one host usually
 * holds. Over a limit, a wrong token gets 429 instead of 400 and an event says so; a right one is
 * never held up, so nobody can lock a script out by failing from its address. The secret's 256
 * bits are what stops guessing; the counts make it visible and slow a caller down. Keycloak's
 * per-user lock is not used: a script's stale token would lock its owner out of signing in.
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

    /**
     * Counts one failure.
     *
     * @param tokenId the id the presented value claims (null when it had no token's shape)
     * @return whether a limit is now exceeded
     */
    boolean failed(SingleUseObjectProvider store, String realmId, String tokenId, String address) {
        String source = source(address);
        boolean over = addressSlots(store, realmId, source).claimHinted(windowSeconds) == null;
        if (tokenId != null) {
            over |= tokenSlots(store, realmId, tokenId, source).claimHinted(windowSeconds) == null;
        }
        return over;
    }

    private ClusterSlots addressSlots(SingleUseObjectProvider store, String realmId, String source) {
        return new ClusterSlots(store, "kw-apitoken-fail:" + realmId + ":" + source + ":", perAddress);
    }

    private ClusterSlots tokenSlots(SingleUseObjectProvider store, String realmId, String tokenId, String source) {
        return new ClusterSlots(store, "kw-apitoken-fail:" + realmId + ":" + tokenId + "@" + source + ":", perToken);
    }

    /** The address a failure is counted against: an IPv4 address, or an IPv6 address's /64. */
    static String source(String address) {
        if (address == null || address.isBlank()) {
            return "unknown";
        }
        if (address.indexOf(':') < 0) {
            return address;
        }
        try {
            // a literal: InetAddress parses it without a lookup
            InetAddress parsed = InetAddress.getByName(address);
            if (parsed instanceof Inet6Address) {
                byte[] prefix = Arrays.copyOf(parsed.getAddress(), 16);
                Arrays.fill(prefix, 8, 16, (byte) 0);
                return InetAddress.getByAddress(prefix).getHostAddress() + "/64";
            }
            return parsed.getHostAddress();
        } catch (UnknownHostException e) {
            return "unparsed";
        }
    }
}
