package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeywardIds;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.authenticators.browser.WebAuthnPasswordlessAuthenticator;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * {@code keyward-passkey}, the passkey step next to the OPAQUE form (an alternative right after
 * it). It ends a passkey sign-in the OPAQUE page has verified ({@link PasskeyStep}), and chosen
 * under "Try another way" it shows Keycloak's own passkey page and checks it with Keycloak's
 * passwordless authenticator.
 *
 * <p>Deliberately not a credential validator: Keycloak starts a re-authentication (a known user)
 * with the first alternative it can match to one of the user's stored credentials, which for
 * Keycloak's passkey step is the passkey page for every user who has one. This step matches no
 * credential, so a re-authentication opens on the OPAQUE page, which offers the passkey too; a
 * user with no password but a passkey gets Keycloak's passkey page from here.
 */
public class PasskeyAuthenticator implements Authenticator {
    private final WebAuthnPasswordlessAuthenticator keycloakPasskeyPage;

    public PasskeyAuthenticator(KeycloakSession session) {
        this.keycloakPasskeyPage = new WebAuthnPasswordlessAuthenticator(session);
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        String proven = authSession.getAuthNote(PasskeyOffer.NOTE_PROVEN);
        authSession.removeAuthNote(PasskeyOffer.NOTE_PROVEN);
        UserModel user = context.getUser();
        if (proven != null && user != null && proven.equals(user.getId())) {
            context.success(KeywardIds.PASSKEY_CREDENTIAL_TYPE);
            return;
        }
        if (user != null && !configuredFor(context.getSession(), context.getRealm(), user)) {
            // a known user without a passkey: nothing to show here, the next alternative
            context.attempted();
            return;
        }
        keycloakPasskeyPage.authenticate(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        keycloakPasskeyPage.action(context);
    }

    @Override
    public boolean requiresUser() {
        return false;
    }

    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return user.credentialManager().isConfiguredFor(KeywardIds.PASSKEY_CREDENTIAL_TYPE);
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
        // registering a passkey is the user's choice (account console, or the two-factor action)
    }

    @Override
    public void close() {}
}
