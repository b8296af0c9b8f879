package dev.keyward.emailcode;

import org.keycloak.credential.CredentialInput;
import org.keycloak.credential.CredentialInputValidator;
import org.keycloak.credential.CredentialModel;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The {@code keyward-email-code} credential type. Nothing is stored: a user "has" it while their
 * account has a verified email address. That is what the account console shows under "Signing in"
 * (through {@link #isConfiguredFor}), and what a policy counting a user's usable methods can ask
 * through {@code user.credentialManager().isConfiguredFor("keyward-email-code")}. The codes
 * themselves are checked by {@link EmailCodeAuthenticator}, never through {@link #isValid}.
 */
public class EmailCodeCredentialProvider implements CredentialProvider<CredentialModel>, CredentialInputValidator {
    private final KeycloakSession session;

    /** @param session the request's session */
    public EmailCodeCredentialProvider(KeycloakSession session) {
        this.session = session;
    }

    /** @return whether the user can receive codes as a sign-in method: enabled, with a verified address */
    public static boolean hasUsableAddress(UserModel user) {
        return user != null
                && user.isEnabled()
                && user.isEmailVerified()
                && user.getEmail() != null
                && !user.getEmail().isBlank();
    }

    @Override
    public String getType() {
        return EmailCodeConstants.CREDENTIAL_TYPE;
    }

    /** Nothing to store: the address lives in the user's profile. */
    @Override
    public CredentialModel createCredential(RealmModel realm, UserModel user, CredentialModel credentialModel) {
        throw new UnsupportedOperationException("Email codes use the user's verified email address; nothing is stored");
    }

    @Override
    public boolean deleteCredential(RealmModel realm, UserModel user, String credentialId) {
        return false;
    }

    @Override
    public CredentialModel getCredentialFromModel(CredentialModel model) {
        return model;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext metadataContext) {
        return CredentialTypeMetadata.builder()
                .type(getType())
                .category(CredentialTypeMetadata.Category.TWO_FACTOR)
                .displayName(EmailCodeConstants.CREDENTIAL_TYPE + "-display-name")
                .helpText(EmailCodeConstants.CREDENTIAL_TYPE + "-help-text")
                .iconCssClass("kcAuthenticatorEmailCodeClass")
                // removed by removing or changing the email address in the profile
                .removeable(false)
                .build(session);
    }

    @Override
    public boolean supportsCredentialType(String credentialType) {
        return getType().equals(credentialType);
    }

    @Override
    public boolean isConfiguredFor(RealmModel realm, UserModel user, String credentialType) {
        return supportsCredentialType(credentialType) && hasUsableAddress(user);
    }

    /** Codes are one-time and bound to a login; there is no standing secret to validate. */
    @Override
    public boolean isValid(RealmModel realm, UserModel user, CredentialInput credentialInput) {
        return false;
    }
}
