package dev.keyward.opaque.authenticator;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.events.Details;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * What one OPAQUE login attempt keeps between its requests, in one authentication-session note
 * that each step {@link #take takes}: read and removed at once, so whatever the step answers, the
 * attempt's state is single use (a replayed KE3 finds nothing).
 *
 * @param state the server's KE1 state, for KE3; null when no KE2 went out
 * @param userId the account the KE1 named; null for a name without one
 * @param locked the brute-force event error of a locked account (or a fourth open guess), answered at the next step
 * @param guess the {@link GuessLedger} slot of the open guess, if one was opened
 * @param unknownName the name key of a name without an account whose guess is open
 * @param legacy the KE1 was answered with the legacy-migration step
 * @param legacyVerified the note of a legacy password just checked ({@link LegacyMigration#verifiedNote})
 */
record LoginAttempt(
        String state,
        String userId,
        String locked,
        String guess,
        String unknownName,
        boolean legacy,
        String legacyVerified) {

    /** The authentication-session note that holds the attempt. */
    static final String NOTE = "keyward.opaque.attempt";

    static final LoginAttempt NONE = new LoginAttempt(null, null, null, null, null, false, null);

    /** @return the session's attempt (or {@link #NONE}), removed from the session */
    static LoginAttempt take(AuthenticationSessionModel authSession) {
        String note = authSession.getAuthNote(NOTE);
        authSession.removeAuthNote(NOTE);
        return note == null ? NONE : parse(note);
    }

    /**
     * Names the attempt in the step's event (the typed name, the credential type) and finds its
     * account.
     *
     * @return the account KE1 named, or null for a name without one, or when the flow's user is
     *     now someone else (a second identity-provider login can change it mid-flow): what this
     *     attempt proves says nothing about them
     */
    UserModel account(AuthenticationFlowContext context, String credentialType) {
        boolean preset = OpaquePage.isUserPreset(context);
        String attempted = preset
                ? context.getUser().getUsername()
                : context.getAuthenticationSession().getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME);
        if (attempted != null) {
            context.getEvent().detail(Details.USERNAME, attempted);
        }
        context.getEvent().detail(Details.CREDENTIAL_TYPE, credentialType);
        UserModel user = userId == null ? null : context.getSession().users().getUserById(context.getRealm(), userId);
        return preset && user != null && !user.getId().equals(context.getUser().getId()) ? null : user;
    }

    /** Keeps this attempt for the next step. */
    void save(AuthenticationSessionModel authSession) {
        authSession.setAuthNote(NOTE, toNote());
    }

    LoginAttempt withUser(String id) {
        return new LoginAttempt(state, id, locked, guess, unknownName, legacy, legacyVerified);
    }

    LoginAttempt withLocked(String error) {
        return new LoginAttempt(state, userId, error, guess, unknownName, legacy, legacyVerified);
    }

    LoginAttempt withGuess(String slot, String name) {
        return new LoginAttempt(state, userId, locked, slot, name, legacy, legacyVerified);
    }

    LoginAttempt withState(String ke1State) {
        return new LoginAttempt(ke1State, userId, locked, guess, unknownName, legacy, legacyVerified);
    }

    LoginAttempt asLegacy() {
        return new LoginAttempt(state, userId, locked, guess, unknownName, true, legacyVerified);
    }

    static LoginAttempt legacyVerified(String note) {
        return new LoginAttempt(null, null, null, null, null, false, note);
    }

    String toNote() {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("s", state);
        fields.put("u", userId);
        fields.put("l", locked);
        fields.put("g", guess);
        fields.put("n", unknownName);
        fields.put("m", legacy ? "1" : null);
        fields.put("v", legacyVerified);
        StringBuilder note = new StringBuilder();
        fields.forEach((k, v) -> {
            if (v != null) {
                note.append(note.length() == 0 ? "" : "&")
                        .append(k)
                        .append('=')
                        .append(URLEncoder.encode(v, StandardCharsets.UTF_8));
            }
        });
        return note.toString();
    }

    /** @return the attempt a note holds; {@link #NONE} for one that does not decode (never written so) */
    static LoginAttempt parse(String note) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String pair : note.split("&")) {
            int eq = pair.indexOf('=');
            if (eq > 0) {
                try {
                    fields.put(
                            pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
                } catch (IllegalArgumentException e) {
                    return NONE;
                }
            }
        }
        return new LoginAttempt(
                fields.get("s"),
                fields.get("u"),
                fields.get("l"),
                fields.get("g"),
                fields.get("n"),
                "1".equals(fields.get("m")),
                fields.get("v"));
    }
}
