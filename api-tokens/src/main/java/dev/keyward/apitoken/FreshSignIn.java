package dev.keyward.apitoken;

import java.util.Map;
import java.util.Set;
import org.keycloak.common.util.Time;
import org.keycloak.models.AuthenticatedClientSessionModel;
import org.keycloak.models.ClientModel;
import org.keycloak.models.Constants;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.protocol.oidc.encode.AccessTokenContext;
import org.keycloak.protocol.oidc.encode.TokenContextEncoderProvider;
import org.keycloak.representations.AccessToken;
import org.keycloak.services.managers.AuthenticationManager;
import org.keycloak.util.JsonSerialization;

/**
 * Whether the access token presented to create an API token comes from a sign-in the user just
 * made with their credentials, judged from the token and its own client session, not from the
 * session as a whole (Keycloak moves a session's re-authentication time for every client, so a
 * thief holding the same session could otherwise ride on the user's fresh sign-in elsewhere):
 * <ul>
 *   <li>issued by an authorization-code or password grant, not by a refresh, an exchange or a
 *       client's own credentials;</li>
 *   <li>its client's session was not set up from the SSO cookie alone;</li>
 *   <li>the session's authentication time is within {@code freshSeconds}, not in the future, and
 *       the token was issued at most {@code freshSeconds} after it;</li>
 *   <li>the token was minted after that authentication, and its {@code auth_time}, when it has
 *       one, is that authentication's;</li>
 *   <li>for two factors: the session reached level 2 within {@code freshSeconds} and the token's
 *       {@code acr} says {@code two-factor}.</li>
 * </ul>
 * The caller also lets each sign-in make one token ({@link Result#authTime}).
 */
final class FreshSignIn {
    private static final Set<String> CREDENTIAL_GRANTS = Set.of("authorization_code", "password");
    private static final String TWO_FACTOR_ACR = "two-factor";
    private static final int SKEW_SECONDS = 5;

    /**
     * Freshness of one sign-in: whether it is fresh, whether two factors were used just now, and
     * when not fresh, why (said to the caller: nothing secret).
     */
    record Result(boolean fresh, boolean twoFactors, String why, long authTime) {
        static Result stale(String why) {
            return new Result(false, false, why, 0);
        }
    }

    private FreshSignIn() {}

    static Result of(
            KeycloakSession session,
            RealmModel realm,
            AccessToken token,
            UserSessionModel userSession,
            int freshSeconds) {
        if (userSession == null
                || userSession.getPersistenceState() == UserSessionModel.SessionPersistenceState.TRANSIENT) {
            return Result.stale("the access token has no sign-in session");
        }
        String grant = grantType(session, token);
        if (!CREDENTIAL_GRANTS.contains(grant)) {
            return Result.stale("the access token was not issued at a sign-in (grant " + grant + ")");
        }
        ClientModel client = token.getIssuedFor() == null ? null : realm.getClientByClientId(token.getIssuedFor());
        AuthenticatedClientSessionModel clientSession =
                client == null ? null : userSession.getAuthenticatedClientSessionByClient(client.getId());
        if (clientSession == null) {
            return Result.stale("the access token's client has no session");
        }
        if ("true".equals(clientSession.getNote(AuthenticationManager.SSO_AUTH))) {
            return Result.stale("the sign-in reused an existing session");
        }
        long now = Time.currentTime();
        // the browser flow keeps the time of the last authentication in a note; a password grant
        // authenticates once, when it creates the session
        long authTime = number(userSession.getNote(AuthenticationManager.AUTH_TIME));
        if (authTime <= 0) {
            authTime = userSession.getStarted();
        }
        long issuedAt = token.getIat() == null ? 0 : token.getIat();
        boolean fresh = authTime > 0
                && authTime <= now + SKEW_SECONDS
                && now - authTime <= freshSeconds
                && issuedAt - authTime <= freshSeconds;
        if (!fresh) {
            return Result.stale("the last sign-in is not recent enough");
        }
        // The client session is shared by every sign-in to its client, so its notes describe the
        // latest one: a token minted before that sign-in (one an intruder holding the session
        // cookie fetched earlier) must not ride on it.
        if (issuedAt < authTime || (token.getAuth_time() != null && token.getAuth_time() != authTime)) {
            return Result.stale("the access token is older than the last sign-in");
        }
        long levelTwoAt = levelTime(userSession.getNote(Constants.LOA_MAP), 2);
        boolean twoFactors = TWO_FACTOR_ACR.equals(token.getAcr())
                && levelTwoAt > 0
                && levelTwoAt <= now + SKEW_SECONDS
                && now - levelTwoAt <= freshSeconds;
        return new Result(true, twoFactors, null, authTime);
    }

    static String grantType(KeycloakSession session, AccessToken token) {
        try {
            AccessTokenContext context =
                    session.getProvider(TokenContextEncoderProvider.class).getTokenContextFromTokenId(token.getId());
            return context == null ? null : context.getGrantType();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** The authentication time of {@code level} in Keycloak's {@code loa-map} note ({"1":time,"2":time}), or 0. */
    static long levelTime(String loaMap, int level) {
        if (loaMap == null || loaMap.isBlank()) {
            return 0;
        }
        try {
            Map<?, ?> map = JsonSerialization.readValue(loaMap, Map.class);
            Object value = map.get(Integer.toString(level));
            return value instanceof Number n ? n.longValue() : 0;
        } catch (java.io.IOException | RuntimeException e) {
            return 0;
        }
    }

    private static long number(String value) {
        try {
            return value == null ? 0 : Long.parseLong(value);
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
