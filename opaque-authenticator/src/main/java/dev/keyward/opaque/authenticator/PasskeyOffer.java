package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeywardIds;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.common.Profile;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.WebAuthnPolicy;

/**
 * Passkeys on the OPAQUE page, as Keycloak's own username/password form offers them since 26.4:
 * when the realm's passwordless policy enables passkeys, the page carries the WebAuthn challenge
 * Keycloak's conditional UI needs (autofill on the username field, and a "Sign in with a passkey"
 * button), and a posted assertion ({@code opaque_step=passkey}) is checked by {@link PasskeyStep}.
 */
final class PasskeyOffer {
    /** The page's step marker for a passkey assertion (or a WebAuthn error) posted from the OPAQUE page. */
    static final String STEP = "passkey";
    /** Template attribute: the page offers passkeys. */
    static final String ATTR_OFFER = "keywardPasskey";
    /** Template attribute: the content-hashed name of the passkey script. */
    static final String ATTR_SCRIPT = "keywardPasskeyScript";
    /**
     * Auth note: the id of the user whose passkey the OPAQUE page has just verified. The
     * {@code keyward-passkey} step next to the form reads and removes it and ends the first factor
     * as a passkey sign-in, so the login's completed step (and the token's amr) names the passkey,
     * not the password.
     */
    static final String NOTE_PROVEN = "keyward.passkey.proven";

    private PasskeyOffer() {}

    /**
     * Whether the page offers passkeys: the realm enables them (Keycloak's own test, feature and
     * policy), this is the first factor (a login that has proven a method is past it: the
     * second-factor step shows this page for the password only), and a user an earlier step
     * fixed has a passkey, as Keycloak's form asks. Never where another step runs the form on its
     * behalf (the second factor, account linking), nor without a {@code keyward-passkey} step
     * beside the form (a realm from an earlier export: Keycloak's passkey page stays under "Try
     * another way").
     */
    static boolean offered(AuthenticationFlowContext context) {
        if (!passkeysEnabled(context.getRealm())) {
            return false;
        }
        if (!AuthenticatorUtil.getAuthnCredentials(context.getAuthenticationSession())
                .isEmpty()) {
            return false;
        }
        // only where the form is its own flow step: another step that runs it for a method
        // (two-factor, account linking) counts what it runs as the password
        AuthenticationExecutionModel self = context.getExecution();
        if (self == null || !OpaqueConstants.AUTHENTICATOR_ID.equals(self.getAuthenticator())) {
            return false;
        }
        // and only with a keyward-passkey step beside it, which records the sign-in as a passkey:
        // recorded on the OPAQUE step it would also count as the password (two methods from one
        // assertion for the two-factor policy, amr pwd)
        if (!hasPasskeyStep(context)) {
            return false;
        }
        UserModel user = context.getUser();
        return user == null || user.credentialManager().isConfiguredFor(KeywardIds.PASSKEY_CREDENTIAL_TYPE);
    }

    /**
     * Keycloak's own test ({@code WebAuthnConditionalUIAuthenticator.isPasskeysEnabled}): the
     * passwordless policy enables passkeys and the {@code passkeys} feature is on. Written out so
     * that a page without passkeys never loads Keycloak's WebAuthn classes.
     */
    static boolean passkeysEnabled(RealmModel realm) {
        WebAuthnPolicy policy = realm == null ? null : realm.getWebAuthnPolicyPasswordless();
        return policy != null
                && Boolean.TRUE.equals(policy.isPasskeysEnabled())
                && Profile.isFeatureEnabled(Profile.Feature.PASSKEYS);
    }

    /** Adds the passkey challenge and the script to the page when {@link #offered}; a fresh challenge per page. */
    static void fill(AuthenticationFlowContext context, LoginFormsProvider form) {
        if (offered(context)) {
            PasskeyVerifier.forPage(context).fillContextForm(context);
            mark(form);
        }
    }

    /** The page attributes that switch the passkey offer on (the challenge is Keycloak's {@code fillContextForm}). */
    static LoginFormsProvider mark(LoginFormsProvider form) {
        return form.setAttribute(ATTR_OFFER, Boolean.TRUE)
                .setAttribute(ATTR_SCRIPT, PageAssets.built().passkey());
    }

    /**
     * Whether a {@code keyward-passkey} step stands next to this OPAQUE step as an alternative of
     * the same subflow, so that a verified passkey can end the first factor there. Without one the
     * page offers no passkey.
     */
    static boolean hasPasskeyStep(AuthenticationFlowContext context) {
        AuthenticationExecutionModel self = context.getExecution();
        if (self == null || !self.isAlternative() || self.getParentFlow() == null) {
            return false;
        }
        return context.getRealm()
                .getAuthenticationExecutionsStream(self.getParentFlow())
                .anyMatch(e -> KeywardIds.PASSKEY_AUTHENTICATOR.equals(e.getAuthenticator()) && e.isAlternative());
    }
}
