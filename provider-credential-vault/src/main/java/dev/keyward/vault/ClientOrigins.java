package dev.keyward.vault;

import jakarta.ws.rs.core.Response;
import java.util.Collection;
import java.util.Set;
import org.keycloak.common.util.UriUtils;
import org.keycloak.models.ClientModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.protocol.oidc.utils.WebOriginsUtils;
import org.keycloak.representations.AccessToken;

/**
 * CORS for the pack's bearer endpoints (the vault's user API, the header proxy). A browser origin
 * may use an endpoint only when a client that holds the endpoint's client scope lists it as a web
 * origin: once the request's token is accepted, that token's own client (the token's
 * {@code allowed-origins}, else the client's web origins); before that (a preflight, a 401), any
 * enabled client of the realm the scope is assigned to. A client's {@code *} counts for nothing
 * here, so a wildcard client cannot open these endpoints to every site; requests from Keycloak's
 * own origin need no listing.
 */
public final class ClientOrigins {
    private final String scope;
    private final String exposedHeaders;

    /**
     * @param scope the client scope of the endpoint
     * @param exposedHeaders the answer headers a page may read
     */
    public ClientOrigins(String scope, Collection<String> exposedHeaders) {
        this.scope = scope;
        this.exposedHeaders = String.join(", ", exposedHeaders);
    }

    /** @return whether the request may go on with this token: no {@code Origin}, or one the token's client lists */
    public boolean allows(KeycloakSession session, AccessToken token) {
        String origin = origin(session);
        return origin == null || tokenAllows(session, token, origin);
    }

    /**
     * Adds the CORS headers to a real request's answer.
     *
     * @param token the accepted token, or null when the request was refused before one was
     */
    public Response.ResponseBuilder add(KeycloakSession session, AccessToken token, Response.ResponseBuilder answer) {
        String origin = origin(session);
        if (origin == null) {
            return answer;
        }
        answer.header("Vary", "Origin");
        if (token == null ? scopeClientsAllow(session, origin) : tokenAllows(session, token, origin)) {
            answer.header("Access-Control-Allow-Origin", origin)
                    .header("Access-Control-Expose-Headers", exposedHeaders);
        }
        return answer;
    }

    /**
     * The answer to a preflight. It carries no token, so the origin must be one that a client
     * holding the scope lists; the real request is then checked against its token's client.
     */
    public Response preflight(KeycloakSession session, Collection<String> methods, Collection<String> headers) {
        Response.ResponseBuilder answer = Response.noContent();
        String origin = origin(session);
        if (origin != null) {
            answer.header("Vary", "Origin");
            if (scopeClientsAllow(session, origin)) {
                answer.header("Access-Control-Allow-Origin", origin)
                        .header("Access-Control-Allow-Methods", String.join(", ", methods))
                        .header("Access-Control-Allow-Headers", String.join(", ", headers))
                        .header("Access-Control-Max-Age", "3600");
            }
        }
        return answer.build();
    }

    private static String origin(KeycloakSession session) {
        return session.getContext().getRequestHeaders().getHeaderString("Origin");
    }

    private static boolean tokenAllows(KeycloakSession session, AccessToken token, String origin) {
        if (sameOrigin(session, origin)) {
            return true;
        }
        Set<String> listed = token.getAllowedOrigins();
        if (listed == null || listed.isEmpty()) {
            // a client without the web-origins scope: its configuration, as Keycloak's own endpoints do
            RealmModel realm = session.getContext().getRealm();
            ClientModel client = token.getIssuedFor() == null ? null : realm.getClientByClientId(token.getIssuedFor());
            listed = client == null ? Set.of() : WebOriginsUtils.resolveValidWebOrigins(session, client);
        }
        return lists(listed, origin);
    }

    private boolean scopeClientsAllow(KeycloakSession session, String origin) {
        if (sameOrigin(session, origin)) {
            return true;
        }
        return session.getContext()
                .getRealm()
                .getClientsStream()
                .filter(c -> c.isEnabled() && holds(c))
                .anyMatch(c -> lists(WebOriginsUtils.resolveValidWebOrigins(session, c), origin));
    }

    private boolean holds(ClientModel client) {
        return client.getClientScopes(true).containsKey(scope)
                || client.getClientScopes(false).containsKey(scope);
    }

    private static boolean sameOrigin(KeycloakSession session, String origin) {
        return origin.equals(UriUtils.getOrigin(session.getContext().getUri().getRequestUri()));
    }

    /** @return whether {@code listed} names {@code origin} exactly; a wildcard or an opaque origin never matches */
    static boolean lists(Set<String> listed, String origin) {
        return !"*".equals(origin) && !"null".equals(origin) && listed.contains(origin);
    }
}
