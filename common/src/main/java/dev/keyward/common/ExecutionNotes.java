package dev.keyward.common;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Authentication-session notes of one flow execution: the same authenticator placed twice in a
 * flow (a first and a second factor) keeps two separate states. Names are
 * {@code prefix + executionId + suffix}.
 */
public final class ExecutionNotes {
    private final AuthenticationSessionModel authSession;
    private final String base;

    private ExecutionNotes(AuthenticationSessionModel authSession, String base) {
        this.authSession = authSession;
        this.base = base;
    }

    /** @return the notes of the context's current execution, under {@code prefix} */
    public static ExecutionNotes of(AuthenticationFlowContext context, String prefix) {
        return new ExecutionNotes(
                context.getAuthenticationSession(),
                prefix + context.getExecution().getId());
    }

    /** @return these notes narrowed to {@code scope}, e.g. a user id: nothing one user left counts for another */
    public ExecutionNotes scoped(String scope) {
        return new ExecutionNotes(authSession, base + "." + scope);
    }

    public String get(String suffix) {
        return authSession.getAuthNote(base + suffix);
    }

    public void set(String suffix, String value) {
        authSession.setAuthNote(base + suffix, value);
    }

    public void remove(String suffix) {
        authSession.removeAuthNote(base + suffix);
    }
}
