package dev.keyward.emailcode;

import dev.keyward.common.ClusterSlots;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.HexFormat;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The resend cooldown and the hourly cap, per realm and subject, in Keycloak's
 * {@link SingleUseObjectProvider}: cluster-wide, and shared by every tab and login of the same
 * user, so a new tab or a new login does not reset them. A cap is N {@link ClusterSlots} that
 * each live one hour; a send needs a free one. That is exactly "at most N in any
 * hour" with no window edge to game.
 *
 * <p>The hourly cap has two levels, so that nobody can use up an account's mails alone and keep
 * its owner out of email codes: each source (one IPv4 address, or one IPv6 /48, the block one
 * site is usually given) may ask {@code maxSendsPerHour} for an account, and the account gets
 * {@value #ACCOUNT_FACTOR} times that from all sources together, which bounds the mail a victim
 * can be sent. An attacker then needs {@value #ACCOUNT_FACTOR} networks to drain an account,
 * and even then only for the hour.
 */
final class SendLimiter {
    /** The answer to "may we send now?". */
    enum Outcome {
        /** Go ahead: a cooldown and an hourly slot are taken. */
        ALLOWED,
        /** The last send was less than the cooldown ago. */
        COOLDOWN,
        /** Every slot of the last hour is used. */
        HOURLY_CAP
    }

    /** The source of sends after an earlier factor of the same login (second factor). */
    static final String PROVEN = "proven";
    /** The account's hourly cap, as a multiple of one source's. */
    static final int ACCOUNT_FACTOR = 3;

    private static final long HOUR_SECONDS = Duration.ofHours(1).toSeconds();

    private final SingleUseObjectProvider store;

    SendLimiter(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Takes the cooldown first: a refused send must not use up a slot of the hour.
     *
     * @param cooldownSubject whose cooldown (the typed name, when there is one)
     * @param capSubject whose hourly slots (the account, or the typed name that matches none)
     * @param source who asks: {@link #sourceOf} of the client's address, or {@link #PROVEN} when an
     *     earlier factor of the login proved the user: such sends have slots of their own, which
     *     anonymous requests cannot use up
     * @return whether a mail may go out now
     */
    Outcome claim(
            String realmId,
            CodeSubject cooldownSubject,
            CodeSubject capSubject,
            String source,
            EmailCodeSettings settings) {
        long cooldown = settings.resendCooldown().toSeconds();
        if (cooldown > 0 && !store.putIfAbsent(base(realmId, cooldownSubject) + "cooldown", cooldown)) {
            return Outcome.COOLDOWN;
        }
        String cap = base(realmId, capSubject);
        String sourceSlot = new ClusterSlots(store, cap + "from." + source + ".sent.", settings.maxSendsPerHour())
                .claim(HOUR_SECONDS);
        String accountSlot = sourceSlot == null
                ? null
                : new ClusterSlots(
                                store,
                                cap + (PROVEN.equals(source) ? "proven." : "") + "sent.",
                                ACCOUNT_FACTOR * settings.maxSendsPerHour())
                        .claim(HOUR_SECONDS);
        if (accountSlot == null) {
            // nothing goes out: a refusal uses up neither the source's slot nor the cooldown
            if (sourceSlot != null) {
                store.remove(sourceSlot);
            }
            if (cooldown > 0) {
                store.remove(base(realmId, cooldownSubject) + "cooldown");
            }
            return Outcome.HOURLY_CAP;
        }
        return Outcome.ALLOWED;
    }

    /**
     * The source a request counts against: an IPv4 address as it is, an IPv6 address by its /48
     * (what one site is usually given: a /64 or /56 would let one party be hundreds of sources),
     * anything else (no address, a name) as one shared source.
     */
    static String sourceOf(String remoteAddress) {
        if (remoteAddress == null || remoteAddress.isBlank()) {
            return "unknown";
        }
        String address = remoteAddress.trim();
        if (address.indexOf(':') < 0) {
            return address.chars().allMatch(c -> c == '.' || (c >= '0' && c <= '9')) ? address : "unknown";
        }
        try {
            // an IPv6 literal: InetAddress parses it without a name lookup
            byte[] bytes = InetAddress.getByName(address.startsWith("[") ? address : "[" + address + "]")
                    .getAddress();
            if (bytes.length == 4) {
                return InetAddress.getByAddress(bytes).getHostAddress();
            }
            return HexFormat.of().formatHex(bytes, 0, 6) + "/48";
        } catch (UnknownHostException e) {
            return "unknown";
        }
    }

    /** After a failed send: the user may try again at once (the hourly slot stays used). */
    void releaseCooldown(String realmId, CodeSubject subject) {
        store.remove(base(realmId, subject) + "cooldown");
    }

    private static String base(String realmId, CodeSubject subject) {
        return "keyward-email-code." + realmId + "." + subject.toNote() + ".";
    }
}
