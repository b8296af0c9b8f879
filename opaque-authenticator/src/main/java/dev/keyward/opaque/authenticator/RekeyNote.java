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
        StringBuilder note = new StringBuilder();
        fields.forEach((k, v) -> note.append(note.length() == 0 ? "" : "&")
                .append(k)
                .append('=')
                .append(URLEncoder.encode(v, StandardCharsets.UTF_8)));
        return note.toString();
    }

    /** @return the note's content, or null for none or one that does not decode (never written so) */
    static RekeyNote parse(String note) {
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
            RekeyNote parsed = new RekeyNote(
                    fields.get("u"),
                    fields.get("c"),
                    fields.get("f"),
                    fields.get("t"),
                    fields.get("k"),
                    Long.parseLong(fields.get("d")));
            return parsed.userId() == null
                            || parsed.credentialId() == null
                            || parsed.fromKeyId() == null
                            || parsed.toKeyId() == null
                            || parsed.rekeyKey() == null
                    ? null
                    : parsed;
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "RekeyNote[" + fromKeyId + "->" + toKeyId + ", redacted]";
    }
}
