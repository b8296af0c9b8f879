package dev.keyward.opaque.authenticator;

import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.models.UserModel;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.services.managers.AuthenticationManager;

/**
 * A re-authentication (prompt=login, max_age, an action's max auth age) of a user who has no
 * password at all, neither OPAQUE nor a Keycloak one to migrate: the OPAQUE page could only fail,
 * so the OPAQUE step steps aside and the next alternative (the passkey, else the email code)
 * opens. Only there: Keycloak's cookie step has proven who the user is, so skipping the page tells
 * nobody anything; where an earlier step merely named the user, the page shows as always.
 */
final class PasswordlessReauthentication {
    private PasswordlessReauthentication() {}

    static boolean applies(AuthenticationFlowContext context) {
        UserModel user = context.getUser();
        return user != null
                && "true"
                        .equals(context.getAuthenticationSession()
                                .getAuthNote(AuthenticationManager.FORCED_REAUTHENTICATION))
                && !user.credentialManager().isConfiguredFor(OpaqueConstants.CREDENTIAL_TYPE)
                && !user.credentialManager().isConfiguredFor(PasswordCredentialModel.TYPE);
    }
}
