package dev.keyward.mfa;

import org.keycloak.events.Event;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.admin.AdminEvent;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * When an admin turns {@code two_factor_enabled} on (admin console or REST API), revokes the
 * user's sessions and tokens ({@link SessionRevoker}). Keycloak has no "user updated" event, so
 * {@link TwoUsableMethodsValidator}, which sees the old and the new value, marks the switch in the
 * request's session, and this listener acts on the admin event Keycloak sends once the update
 * succeeded. A refused or failed update sends no event and revokes nothing.
 */
public class TwoFactorRevocationListener implements EventListenerProvider {
    private final KeycloakSession session;

    TwoFactorRevocationListener(KeycloakSession session) {
        this.session = session;
    }

    /** Request-scoped mark: this user's two-factor sign-in is being switched on. */
    static String switchedOnMark(String userId) {
        return "keyward.two-factor.switched-on." + userId;
    }

    @Override
    public void onEvent(Event event) {}

    @Override
    public void onEvent(AdminEvent event, boolean includeRepresentation) {
        if (event.getResourceType() != ResourceType.USER
                || event.getOperationType() != OperationType.UPDATE
                || event.getResourcePath() == null
                || !event.getResourcePath().startsWith("users/")) {
            return;
        }
        String userId = event.getResourcePath().substring("users/".length());
        if (userId.contains("/") || session.removeAttribute(switchedOnMark(userId)) == null) {
            return;
        }
        RealmModel realm = session.realms().getRealm(event.getRealmId());
        UserModel user = realm == null ? null : session.users().getUserById(realm, userId);
        if (user != null && TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            SessionRevoker.revokeAll(session, realm, user);
        }
    }

    @Override
    public void close() {}
}
