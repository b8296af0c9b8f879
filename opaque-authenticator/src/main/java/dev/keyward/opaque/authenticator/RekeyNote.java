package dev.keyward.opaque.authenticator;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What {@link RekeyStep} keeps between its two requests, in one authentication-session note.
 *
 * @param userId the user whose KE3 just verified
 * @param credentialId their OPAQUE credential at that moment: a re-registration replaces only it
 * @param fromKeyId the setup-secret id it is under
 * @param toKeyId the active id the registration response was made under
 * @param rekeyKey {@link RekeyProof#key} of the login's session key, base64url (secret; single use)
 * @param deadline epoch millis after which the note is refused
 */
record RekeyNote(String userId, String credentialId, String fromKeyId, String toKeyId, String rekeyKey, long deadline) {

    void save(AuthenticationSessionModel authSession) {
        authSession.setAuthNote(RekeyStep.NOTE, toNote());
    }

    String toNote() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("u", userId);
        fields.put("c", credentialId);
        fields.put("f", fromKeyId);
        fields.put("t", toKeyId);
        fields.put("k", rekeyKey);
        fields.put("d", Long.toString(deadline));
        return encode(fields);
    }

    /** @return {@code fields} as one note value, {@code k=v&k=v} with URL-encoded values */
    static String encode(Map<String, String> fields) {
        StringBuilder note = new StringBuilder();
        fields.forEach((k, v) -> note.append(note.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return note.toString();
    }

    /**
     * @param note a note value written by {@link #encode}, or null
     * @param names the fields it must have, the last one a number (the deadline)
     * @return its fields, or null for none, one that lacks a field or one that does not decode
     */
    static Map<String, String> decode(String note, String... names) {
        if (note == null) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        try {
            for (String pair : note.split("&")) {
                int eq = pair.indexOf('=');
                if (eq > 0) {
                    fields.put(
                            pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                }
            }
            Long.parseLong(fields.getOrDefault(names[names.length - 1], ""));
        } catch (IllegalArgumentException e) {
            return null;
        }
        for (String name : names) {
            if (fields.get(name) == null) {
                return null;
            }
        }
        return fields;
    }

    /** @return the note's content, or null for none or one that does not decode (never written so) */
    static RekeyNote parse(String note) {
        Map<String, String> f = decode(note, "u", "c", "f", "t", "k", "d");
        return f == null
                ? null
                : new RekeyNote(f.get("u"), f.get("c"), f.get("f"), f.get("t"), f.get("k"), Long.parseLong(f.get("d")));
    }

    @Override
    public String toString() {
        return "RekeyNote[" + fromKeyId + "->" + toKeyId + ", redacted]";
    }
}
