package dev.keyward.apitoken;

import jakarta.ws.rs.core.Response;
import java.util.Set;
import org.keycloak.OAuthErrorException;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.ClientSessionContext;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.SingleUseObjectProvider;
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
    private final GuessLimits limits;

    ApiTokenGrantType(GuessLimits limits) {
        this.limits = limits;
    }

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
        String presented = formParams.getFirst(ApiTokenConstants.PARAM);
        TokenText shape = TokenText.parse(presented);
        String address = clientConnection.getRemoteAddr();
        SingleUseObjectProvider guesses = session.singleUseObjects();
        String claimedId = shape == null ? null : shape.id();
        if (limits.blocked(guesses, claimedId, address)) {
            event.detail(Details.REASON, "too many failed API tokens from this address")
                    .error(Errors.NOT_ALLOWED);
            throw error(
                    OAuthErrorException.INVALID_GRANT,
                    "too many failed attempts; try again later",
                    Response.Status.TOO_MANY_REQUESTS);
        }
        ApiTokenStore store = session.getProvider(ApiTokenStore.class);
        ApiTokenStore.Check check = store.verify(realm, presented);
        if (!check.ok()) {
            if (check.id() != null) {
                event.detail(ApiTokenConstants.DETAIL_TOKEN_ID, check.id());
            }
            event.detail(Details.REASON, check.refusal().name().toLowerCase());
            if (check.refusal() == ApiTokenStore.Refusal.EXPIRED) {
                event.error(Errors.EXPIRED_CODE);
                throw error(
                        OAuthErrorException.INVALID_GRANT, "the API token has expired", Response.Status.BAD_REQUEST);
            }
            if (check.refusal() != ApiTokenStore.Refusal.OWNER) {
                // a guess: count it (the owner check fails only for someone who had the right text)
                limits.failed(guesses, check.id(), address);
            }
            event.error(Errors.INVALID_TOKEN);
            throw error(OAuthErrorException.INVALID_GRANT, "the API token is not valid", Response.Status.BAD_REQUEST);
        }
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
        if (path == null || refusedPath(path)) {
            return false;
        }
        Object id = token.getOtherClaims().get(ApiTokenConstants.CLAIM);
        RealmModel realm = session.getContext().getRealm();
        if (!(id instanceof String tokenId) || realm == null) {
            return false;
        }
        ApiTokenStore store = session.getProvider(ApiTokenStore.class);
        ApiToken stored = store.find(realm, tokenId);
        return stored != null && stored.userId().equals(token.getSubject()) && store.live(realm, stored) == null;
    }

    static boolean refusedPath(String path) {
        String p = path.startsWith("/") ? path : "/" + path;
        if (p.startsWith("/admin/")) {
            return true;
        }
        String[] parts = p.split("/");
        // /realms/{realm}/{endpoint}/...
        return parts.length >= 4
                && "realms".equals(parts[1])
                && (parts[3].equals("account") || parts[3].equals(ApiTokenResourceProviderFactory.ID));
    }
}
