package dev.keyward.opaque.authenticator;

import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * A two-factor user's verified re-registration, waiting for the rest of their login. Kept as an
 * authentication-session <em>user-session note</em>: Keycloak copies those onto the user session
 * only when the login ends in one (after every step and required action), and
 * {@link RekeyCommitListener} commits it from there on the login's {@code LOGIN} event. Not secret
 * (a registration record), but never logged; removed on use in every case.
 *
 * @param userId the user whose password and proof were verified
 * @param credentialId their OPAQUE credential at KE3: only it is replaced
 * @param fromKeyId the setup-secret id it was under
 * @param toKeyId the id the registration response was made under
 * @param record the new registration record, base64url as the client sent it
 * @param deadline epoch millis after which it is dropped
 */
record PendingRekey(
        String userId, String credentialId, String fromKeyId, String toKeyId, String record, long deadline) {

    /** The user-session note's name. */
    static final String NOTE = "keyward.opaque.rekey-pending";

    void save(AuthenticationSessionModel authSession) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("u", userId);
        fields.put("c", credentialId);
        fields.put("f", fromKeyId);
        fields.put("t", toKeyId);
        fields.put("r", record);
        fields.put("d", Long.toString(deadline));
        authSession.setUserSessionNote(NOTE, RekeyNote.encode(fields));
    }

    /** Drops a note an earlier login of this authentication session left (null removes it). */
    static void drop(AuthenticationSessionModel authSession) {
        Map<String, String> notes = authSession.getUserSessionNotes();
        if (notes != null && notes.containsKey(NOTE)) {
            authSession.setUserSessionNote(NOTE, null);
        }
    }

    /** @return the note's content, or null for none or one that does not decode */
    static PendingRekey parse(String note) {
        Map<String, String> f = RekeyNote.decode(note, "u", "c", "f", "t", "r", "d");
        return f == null
                ? null
                : new PendingRekey(
                        f.get("u"), f.get("c"), f.get("f"), f.get("t"), f.get("r"), Long.parseLong(f.get("d")));
    }

    @Override
    public String toString() {
        return "PendingRekey[" + fromKeyId + "->" + toKeyId + ", record redacted]";
    }
}
