package dev.keyward.apitoken;

import jakarta.ws.rs.core.Response;
import java.util.Locale;
import java.util.Set;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.protocol.oidc.TokenManager;
import org.keycloak.protocol.oidc.grants.OAuth2GrantTypeBase;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.CorsErrorResponseException;
import org.keycloak.services.Urls;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.services.managers.AuthenticationSessionManager;
import org.keycloak.services.managers.UserSessionManager;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The exchange at the token endpoint: {@code grant_type=urn:keyward:params:oauth:grant-type:api-token}
 * and {@code api_token=kwt_…}, by the realm's API-token client only. The answer is an access token
 * for the token's owner carrying the token's scopes (with the client's default scopes), {@code acr}
 * {@code api-token}, the token's id in {@code keyward_api_token}, and no refresh or ID token; its
 * session is transient, like a client-credentials grant's. Every use of that access token at
 * Keycloak checks the API token again ({@link #isTokenAllowed}), so revoking it stops them at once.
 */
final class ApiTokenGrantType extends OAuth2GrantTypeBase {
    private static final Set<String> ALLOWED_ENDPOINTS = Set.of("header-proxy", "keyward-vault");
    private static final Set<String> NEVER = Set.of("account", "protocol", ApiTokenResourceProviderFactory.ID);

    @Override
    public Response process(Context context) {
        setContext(context);
        event.detail(Details.GRANT_TYPE, ApiTokenConstants.GRANT_TYPE);
        ApiTokenSettings settings = ApiTokenSettings.of(realm);
        if (!settings.client().equals(client.getClientId())) {
            event.detail(Details.REASON, "not the realm's API-token client").error(Errors.NOT_ALLOWED);
            throw error(
                    OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "this client cannot exchange API tokens",
                    Response.Status.BAD_REQUEST);
        }
        if (settings.usableClient(realm) == null) {
            event.detail(Details.REASON, "the API-token client has full scope on")
                    .error(Errors.NOT_ALLOWED);
            throw error(
                    OAuthErrorException.UNAUTHORIZED_CLIENT,
                    "the API-token client must have full scope off",
                    Response.Status.BAD_REQUEST);
        }
        String address = clientConnection.getRemoteAddr();
        TokenGate.Outcome check =
                TokenGate.of(session).check(session, realm, formParams.getFirst(ApiTokenConstants.PARAM), address);
        if (!check.ok()) {
            if (check.id() != null) {
                event.detail(ApiTokenConstants.DETAIL_TOKEN_ID, check.id());
            }
            event.detail(Details.REASON, check.refusal().name().toLowerCase(Locale.ROOT));
            if (check.refusal() == ApiTokenStore.Refusal.EXPIRED) {
                event.error(Errors.EXPIRED_CODE);
                throw error(
                        OAuthErrorException.INVALID_GRANT, "the API token has expired", Response.Status.BAD_REQUEST);
            }
            if (check.blocked()) {
                event.detail(Details.REASON, "too many failed API tokens from this address")
                        .error(Errors.NOT_ALLOWED);
                throw error(
                        OAuthErrorException.INVALID_GRANT,
                        "too many failed attempts; try again later",
                        Response.Status.TOO_MANY_REQUESTS);
            }
            event.error(Errors.INVALID_TOKEN);
            throw error(OAuthErrorException.INVALID_GRANT, "the API token is not valid", Response.Status.BAD_REQUEST);
        }
        ApiTokenStore store = session.getProvider(ApiTokenStore.class);
        ApiToken token = check.token();
        UserModel user = session.users().getUserById(realm, token.userId());
        event.user(user)
                .detail(Details.USERNAME, user.getUsername())
                .detail(ApiTokenConstants.DETAIL_TOKEN_ID, token.id());

        String scope = String.join(" ", token.scopes());
        AuthenticationSessionModel authSession = new AuthenticationSessionManager(session)
                .createAuthenticationSession(realm, false)
                .createAuthenticationSession(client);
        authSession.setAuthenticatedUser(user);
        authSession.setProtocol(OIDCLoginProtocol.LOGIN_PROTOCOL);
        authSession.setClientNote(
                OIDCLoginProtocol.ISSUER,
                Urls.realmIssuer(session.getContext().getUri().getBaseUri(), realm.getName()));
        authSession.setClientNote(OIDCLoginProtocol.SCOPE_PARAM, scope);
        // never stored: nothing to log out, nothing for SSO to pick up
        UserSessionModel userSession = new UserSessionManager(session)
                .createUserSession(
                        authSession.getParentSession().getId(),
                        realm,
                        user,
                        user.getUsername(),
                        address,
                        ApiTokenConstants.EVENT_CREDENTIAL_TYPE,
                        false,
                        null,
                        null,
                        UserSessionModel.SessionPersistenceState.TRANSIENT);
        event.session(userSession);
        AuthenticationManager.setClientScopesInSession(session, authSession);
        ClientSessionContext clientSessionCtx =
                TokenManager.attachAuthenticationSession(session, userSession, authSession);
        clientSessionCtx.setAttribute(Constants.GRANT_TYPE, context.getGrantType());
        updateUserSessionFromClientAuth(userSession);

        TokenManager.AccessTokenResponseBuilder response =
                createTokenResponseBuilder(user, userSession, clientSessionCtx, scope, null);
        AccessToken access = response.getAccessToken();
        access.setAcr(ApiTokenConstants.ACR);
        access.getOtherClaims().put(ApiTokenConstants.CLAIM, token.id());
        long now = System.currentTimeMillis() / 1000;
        long exp = Math.min(now + settings.accessTokenSeconds(), token.expiresAt() / 1000);
        if (access.getExp() == null || access.getExp() > exp) {
            access.exp(exp);
        }
        store.touch(token.id(), address, System.currentTimeMillis());
        return createTokenResponse(response, clientSessionCtx, true);
    }

    private CorsErrorResponseException error(String error, String description, Response.Status status) {
        return new CorsErrorResponseException(cors, error, description, status);
    }

    @Override
    protected boolean useRefreshToken() {
        return false;
    }

    @Override
    public EventType getEventType() {
        return EventType.TOKEN_EXCHANGE;
    }

    @Override
    public Set<String> getTokenParameterNames() {
        return Set.of(ApiTokenConstants.PARAM);
    }

    /**
     * Keycloak asks this for every bearer use of an access token this grant issued. It is
     * accepted while its API token lives, and never by Keycloak's admin or account APIs or this
     * module's own endpoints: a script's token cannot manage the account or make more tokens.
     */
    @Override
    public boolean isTokenAllowed(KeycloakSession session, AccessToken token) {
        String path = session.getContext().getUri().getPath();
        RealmModel realm = session.getContext().getRealm();
        if (path == null
                || realm == null
                || !allowedPath(path, realm.getAttribute(ApiTokenSettings.PREFIX + "endpoints"))) {
            return false;
        }
        Object id = token.getOtherClaims().get(ApiTokenConstants.CLAIM);
        if (!(id instanceof String tokenId)) {
            return false;
        }
        ApiTokenStore store = session.getProvider(ApiTokenStore.class);
        ApiToken stored = store.find(realm, tokenId);
        return stored != null && stored.userId().equals(token.getSubject()) && store.live(realm, stored) == null;
    }

    /**
     * An allowlist: the pack's endpoints that serve scripts ({@code header-proxy},
     * {@code keyward-vault}) and those the realm names in {@code keyward.apiTokens.endpoints}
     * (comma-separated first path segments under {@code /realms/{realm}/}). Keycloak's admin,
     * account and token-management APIs are never on it.
     */
    static boolean allowedPath(String path, String extraEndpoints) {
        String p = path.startsWith("/") ? path : "/" + path;
        String[] parts = p.split("/");
        if (parts.length < 4 || !"realms".equals(parts[1])) {
            return false;
        }
        String endpoint = parts[3];
        if (ALLOWED_ENDPOINTS.contains(endpoint)) {
            return true;
        }
        if (extraEndpoints == null || NEVER.contains(endpoint)) {
            return false;
        }
        for (String extra : extraEndpoints.split(",")) {
            if (extra.trim().equals(endpoint)) {
                return true;
            }
        }
        return false;
    }
}
