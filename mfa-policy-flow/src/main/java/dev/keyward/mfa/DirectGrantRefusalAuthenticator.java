package dev.keyward.mfa;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.keycloak.OAuthErrorException;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.representations.idm.OAuth2ErrorRepresentation;

/**
 * The realm's direct-grant flow (OAuth 2 resource owner password grant): refused for every user,
 * with the error a client expects from a token endpoint that does not grant this way (400
 * {@code unauthorized_client}). A password grant posts the password to the server, which OPAQUE
 * never does, checks only a Keycloak password (an unmigrated user's), and cannot ask for a second
 * factor: a client an admin allows direct grants to would get around both. Nothing is checked,
 * so nothing is counted and the answer says nothing about the user.
 */
public class DirectGrantRefusalAuthenticator implements Authenticator {
    static final String DESCRIPTION = "Password grants are not available in this realm; sign in through the browser"
            + " (authorization code flow)";

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        context.getEvent()
                .detail(Details.REASON, "password grant refused by the realm's direct grant flow")
                .error(Errors.NOT_ALLOWED);
        Response refusal = Response.status(Response.Status.BAD_REQUEST)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new OAuth2ErrorRepresentation(OAuthErrorException.UNAUTHORIZED_CLIENT, DESCRIPTION))
                .build();
        context.failure(AuthenticationFlowError.ACCESS_DENIED, refusal);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        authenticate(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
