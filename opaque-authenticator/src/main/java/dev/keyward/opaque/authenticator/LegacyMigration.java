package dev.keyward.opaque.authenticator;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Map;

/**
 * The Keycloak-free rules of the legacy-password migration on the OPAQUE form: when it is on
 * (a window with an end date), which submitted passwords are looked at, and the single-use note that links the password check to the record
 * upload that follows it.
 */
final class LegacyMigration {
    /**
     * Longest legacy password the server checks (UTF-16 code units, as Java's String.length()).
     * Far beyond any password a person types, and it bounds the hashing work one request can ask
     * for; Keycloak's own maximum-length policy defaults to 64.
     */
    static final int MAX_PASSWORD_LENGTH = 1024;

    private LegacyMigration() {}

    /** Whether an execution's settings turn migration on today, and why not when they do not. */
    enum Window {
        /** On, and today is not past the end date. */
        OPEN,
        /** Off ({@code legacyMigration} is not {@code true}, or there is no config). */
        OFF,
        /** {@code legacyMigration} is on but the end date is missing or not a date: treated as off. */
        NO_END_DATE,
        /** {@code legacyMigration} is on but the end date has passed: off. */
        ENDED
    }

    /**
     * @param config the execution's settings (may be null)
     * @param todayUtc today's date in UTC
     * @return whether the legacy step is offered
     */
    static Window window(Map<String, String> config, LocalDate todayUtc) {
        if (config == null || !Boolean.parseBoolean(config.get(OpaqueConstants.CONFIG_LEGACY_MIGRATION))) {
            return Window.OFF;
        }
        String until = config.get(OpaqueConstants.CONFIG_LEGACY_MIGRATION_UNTIL);
        LocalDate end;
        try {
            end = until == null ? null : LocalDate.parse(until.trim());
        } catch (DateTimeParseException e) {
            end = null;
        }
        if (end == null) {
            return Window.NO_END_DATE;
        }
        return todayUtc.isAfter(end) ? Window.ENDED : Window.OPEN;
    }

    /**
     * @param password the submitted value (may be null)
     * @return true if it is worth a password check: present, not empty, not over the limit
     */
    static boolean acceptablePassword(String password) {
        return password != null && !password.isEmpty() && password.length() <= MAX_PASSWORD_LENGTH;
    }

    /** The note value saying "this user's legacy password was right" under {@code suite}. */
    static String verifiedNote(String suiteIdentifier, String userId) {
        return suiteIdentifier + ":" + userId;
    }

    /**
     * @param note the note (may be null)
     * @param suiteIdentifier the suite the record is parsed with now
     * @return the user id the note vouches for, or null when there is none or it was written under
     *     another suite (the registration response then came from other keys)
     */
    static String verifiedUserId(String note, String suiteIdentifier) {
        if (note == null) {
            return null;
        }
        String prefix = suiteIdentifier + ":";
        if (!note.startsWith(prefix) || note.length() == prefix.length()) {
            return null;
        }
        return note.substring(prefix.length());
    }
}
