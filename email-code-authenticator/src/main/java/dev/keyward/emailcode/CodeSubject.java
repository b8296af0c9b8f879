package dev.keyward.emailcode;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

/**
 * Whom a code is for: a user, or a typed name that matches no user. Names are kept only as a
 * hash (they end up in cluster-wide counter keys), and a name subject walks the same path as a
 * user subject, so nothing a visitor sees tells the two apart.
 *
 * @param user true for a user id, false for a name hash
 * @param id the user id or the name hash
 */
record CodeSubject(boolean user, String id) {
    static CodeSubject ofUser(String userId) {
        return new CodeSubject(true, userId);
    }

    /** Case-insensitive, as usernames and email addresses are in Keycloak. */
    static CodeSubject ofName(String realmId, String name) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(realmId.getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            return new CodeSubject(
                    false,
                    HexFormat.of()
                            .formatHex(sha.digest(name.toLowerCase(Locale.ROOT).getBytes(StandardCharsets.UTF_8))));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the auth note, also the counter-key part */
    String toNote() {
        return (user ? "u:" : "n:") + id;
    }

    /** @return the subject, or null for a missing or foreign note */
    static CodeSubject fromNote(String note) {
        if (note == null || note.length() < 3 || note.charAt(1) != ':') {
            return null;
        }
        return switch (note.charAt(0)) {
            case 'u' -> new CodeSubject(true, note.substring(2));
            case 'n' -> new CodeSubject(false, note.substring(2));
            default -> null;
        };
    }
}
