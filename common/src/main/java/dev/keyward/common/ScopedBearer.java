package dev.keyward.common;

import jakarta.ws.rs.WebApplicationException;
import java.util.Arrays;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AppAuthManager;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * Who may call one of the pack's bearer endpoints (the vault's user API, the header proxy): an
 * access token of this realm (Keycloak checks signature, issuer, type, expiry, session and user)
 * whose {@code scope} claim names the endpoint's client scope and whose {@code aud} names the
 * audience that scope's mapper adds. A client's token carries the scope only if an admin assigned
 * the scope to that client; roles and full scope give nothing here, so a client added to the realm
 * later has no access until an admin grants it.
 */
public final class ScopedBearer {
    private final String scope;
    private final String audience;

    /**
     * @param scope the client scope the token must name
     * @param audience the {@code aud} value the scope's audience mapper adds
     */
    public ScopedBearer(String scope, String audience) {
        if (scope == null || scope.isBlank() || audience == null || audience.isBlank()) {
            throw new IllegalArgumentException("a scope and an audience are required");
        }
        this.scope = scope;
        this.audience = audience;
    }

    /** @return the client scope this endpoint requires */
    public String scope() {
        return scope;
    }

    /**
     * Checks the request's bearer token.
     *
     * @return the token and its user
     * @throws RestRefusal 401 {@code invalid_token} without a valid access token of this realm for this
     *         audience; 403 {@code insufficient_scope} for a valid token without the scope
     */
    public AuthenticationManager.AuthResult authenticate(KeycloakSession session) throws RestRefusal {
        RealmModel realm = session.getContext().getRealm();
        String header = session.getContext().getRequestHeaders().getHeaderString("Authorization");
        if (header == null || header.length() < 8 || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            // RFC 6750 3.1: no error code when the request carried no credentials at all
            throw new RestRefusal(401, "invalid_token", "a bearer access token of this realm is required")
                    .challenge(challenge(realm.getName(), header == null ? null : "invalid_token", null));
        }
        AuthenticationManager.AuthResult auth;
        try {
            auth = new AppAuthManager.BearerTokenAuthenticator(session)
                    .setTokenString(header.substring(7).trim())
                    .authenticate();
        } catch (WebApplicationException e) {
            auth = null;
        }
        if (auth == null) {
            throw invalid(realm, "the access token is not valid here (expired, revoked or of another realm)");
        }
        AccessToken token = auth.token();
        // the scope first: a client that was never granted it learns what to ask its admin for
        if (!names(token.getScope(), scope)) {
            throw new RestRefusal(403, "insufficient_scope", "the token's client was not granted the scope " + scope)
                    .challenge(challenge(realm.getName(), "insufficient_scope", scope));
        }
        if (!token.hasAudience(audience)) {
            throw invalid(realm, "the access token is not issued for this endpoint (audience " + audience + ")");
        }
        return auth;
    }

    private static RestRefusal invalid(RealmModel realm, String description) {
        return new RestRefusal(401, "invalid_token", description)
                .challenge(challenge(realm.getName(), "invalid_token", null));
    }

    /** @return whether a space-separated {@code scope} claim names {@code wanted} */
    static boolean names(String scopeClaim, String wanted) {
        return scopeClaim != null && Arrays.asList(scopeClaim.split(" ")).contains(wanted);
    }

    /**
     * The {@code WWW-Authenticate} value of RFC 6750 section 3.
     *
     * @param error null when the request carried no token
     * @param scope the scope that would do, for {@code insufficient_scope}; else null
     */
    public static String challenge(String realmName, String error, String scope) {
        StringBuilder value =
                new StringBuilder("Bearer realm=\"").append(quoted(realmName)).append('"');
        if (error != null) {
            value.append(", error=\"").append(error).append('"');
        }
        if (scope != null) {
            value.append(", scope=\"").append(quoted(scope)).append('"');
        }
        return value.toString();
    }

    private static String quoted(String s) {
        return s.replace("\\", "\\\\").replace("\"", "\\\"");
    }
}
