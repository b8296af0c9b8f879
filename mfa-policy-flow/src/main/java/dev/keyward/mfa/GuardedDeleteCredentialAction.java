package dev.keyward.mfa;

import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.requiredactions.DeleteCredentialAction;
import org.keycloak.credential.CredentialModel;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventType;
import org.keycloak.models.Constants;
import org.keycloak.models.UserModel;
import org.keycloak.utils.StringUtil;

/**
 * Keycloak's "Delete Credential" action ({@code delete_credential}, application-initiated with the
 * credential's id, as the account console's "Delete" starts it), except for a passkey two-factor
 * sign-in needs ({@link MethodRemovalGuard}): instead of asking to confirm and then failing with
 * Keycloak's untranslated "Credential type cannot be removed", its first page says why the passkey
 * stays ({@code keywardPasskeyNeededForTwoFactor}) and offers only the way back. A confirmation
 * posted anyway gets the same page and a {@code REMOVE_CREDENTIAL_ERROR} event; the passkey stays.
 *
 * <p>Like Keycloak's class, its own factory, under Keycloak's id: Keycloak prefers an installed
 * provider over its own of the same id.
 */
public class GuardedDeleteCredentialAction extends DeleteCredentialAction {
    static final String TEMPLATE = "keyward-delete-credential-refused.ftl";

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        CredentialModel needed = neededPasskey(context);
        if (needed == null) {
            super.requiredActionChallenge(context);
            return;
        }
        context.challenge(refusal(context, needed));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        CredentialModel needed = neededPasskey(context);
        if (needed == null) {
            super.processAction(context);
            return;
        }
        context.getEvent()
                .event(EventType.REMOVE_CREDENTIAL)
                .detail(Details.CREDENTIAL_TYPE, needed.getType())
                .detail(Details.CREDENTIAL_ID, needed.getId())
                .detail(Details.REASON, TwoFactorConstants.MSG_PASSKEY_NEEDED)
                .error(Errors.DELETE_CREDENTIAL_FAILED);
        context.challenge(refusal(context, needed));
    }

    /** The credential the action is for, if it is a passkey the user's two-factor sign-in cannot do without. */
    private static CredentialModel neededPasskey(RequiredActionContext context) {
        String credentialId = context.getAuthenticationSession().getClientNote(Constants.KC_ACTION_PARAMETER);
        UserModel user = context.getUser();
        if (credentialId == null || user == null) {
            return null;
        }
        CredentialModel credential = user.credentialManager().getStoredCredentialById(credentialId);
        if (credential == null
                || !LocalMethod.PASSKEY.credentialType().equals(credential.getType())
                || !MethodRemovalGuard.needed(context.getSession(), context.getRealm(), user, LocalMethod.PASSKEY)) {
            return null;
        }
        return credential;
    }

    private static jakarta.ws.rs.core.Response refusal(RequiredActionContext context, CredentialModel credential) {
        return context.form()
                .setAttribute(
                        "credentialLabel",
                        StringUtil.isNotBlank(credential.getUserLabel())
                                ? credential.getUserLabel()
                                : credential.getType())
                .createForm(TEMPLATE);
    }
}
