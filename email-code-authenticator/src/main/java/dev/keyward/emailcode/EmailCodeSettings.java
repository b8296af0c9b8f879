package dev.keyward.emailcode;

import java.time.Duration;
import java.util.Map;

/**
 * One execution's settings, from its configuration in the admin console. Missing values take the
 * defaults; present ones must be within their bounds, so a typo fails loudly instead of, say,
 * silently allowing unlimited attempts.
 *
 * @param length code length, 6 to 10
 * @param alphabet what codes are drawn from
 * @param lifetime how long a code is accepted, 1 to 60 minutes
 * @param maxAttempts wrong codes before the code is dead, 1 to 10
 * @param resendCooldown time between two sends to one user, 0 to 10 minutes
 * @param maxSendsPerHour sends to one user in any hour, 1 to 20
 * @param markEmailVerified whether codes also go to unverified addresses when the code is the first
 *        factor, and a success then marks the address verified (off: unverified addresses get nothing)
 * @param requestDetailsInEmail whether the email says when and from which IP address the code was asked for
 */
public record EmailCodeSettings(
        int length,
        CodeAlphabet alphabet,
        Duration lifetime,
        int maxAttempts,
        Duration resendCooldown,
        int maxSendsPerHour,
        boolean markEmailVerified,
        boolean requestDetailsInEmail) {
    /** Configuration keys (also the admin console's property names). */
    public static final String LENGTH = "codeLength";
    /** @see #LENGTH */
    public static final String ALPHABET = "codeAlphabet";
    /** @see #LENGTH */
    public static final String LIFETIME_SECONDS = "codeLifetimeSeconds";
    /** @see #LENGTH */
    public static final String MAX_ATTEMPTS = "maxAttempts";
    /** @see #LENGTH */
    public static final String RESEND_COOLDOWN_SECONDS = "resendCooldownSeconds";
    /** @see #LENGTH */
    public static final String MAX_SENDS_PER_HOUR = "maxSendsPerHour";
    /** @see #LENGTH */
    public static final String MARK_EMAIL_VERIFIED = "markEmailVerified";
    /** @see #LENGTH */
    public static final String REQUEST_DETAILS_IN_EMAIL = "requestDetailsInEmail";

    /** The defaults: 6 digits, 10 minutes, 5 attempts, 60 s between sends, 5 sends an hour, both switches off. */
    public static final EmailCodeSettings DEFAULTS = new EmailCodeSettings(
            6, CodeAlphabet.DIGITS, Duration.ofMinutes(10), 5, Duration.ofSeconds(60), 5, false, false);

    /**
     * @param config the execution's configuration; null or empty for the defaults
     * @return the settings
     * @throws InvalidSettingException naming the first value out of its bounds
     */
    public static EmailCodeSettings from(Map<String, String> config) {
        if (config == null) {
            return DEFAULTS;
        }
        return new EmailCodeSettings(
                intValue(config, LENGTH, DEFAULTS.length, 6, 10),
                config.containsKey(ALPHABET) && !blank(config.get(ALPHABET))
                        ? CodeAlphabet.fromId(config.get(ALPHABET).trim())
                        : DEFAULTS.alphabet,
                Duration.ofSeconds(intValue(config, LIFETIME_SECONDS, (int) DEFAULTS.lifetime.toSeconds(), 60, 3600)),
                intValue(config, MAX_ATTEMPTS, DEFAULTS.maxAttempts, 1, 10),
                Duration.ofSeconds(
                        intValue(config, RESEND_COOLDOWN_SECONDS, (int) DEFAULTS.resendCooldown.toSeconds(), 0, 600)),
                intValue(config, MAX_SENDS_PER_HOUR, DEFAULTS.maxSendsPerHour, 1, 20),
                booleanValue(config, MARK_EMAIL_VERIFIED, DEFAULTS.markEmailVerified),
                booleanValue(config, REQUEST_DETAILS_IN_EMAIL, DEFAULTS.requestDetailsInEmail));
    }

    private static int intValue(Map<String, String> config, String key, int fallback, int min, int max) {
        String value = config.get(key);
        if (blank(value)) {
            return fallback;
        }
        int parsed;
        try {
            parsed = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new InvalidSettingException(key, "must be a whole number from " + min + " to " + max);
        }
        if (parsed < min || parsed > max) {
            throw new InvalidSettingException(key, "must be from " + min + " to " + max);
        }
        return parsed;
    }

    private static boolean booleanValue(Map<String, String> config, String key, boolean fallback) {
        String value = config.get(key);
        if (blank(value)) {
            return fallback;
        }
        return switch (value.trim()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new InvalidSettingException(key, "must be true or false");
        };
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
