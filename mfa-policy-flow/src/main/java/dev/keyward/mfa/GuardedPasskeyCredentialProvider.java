package dev.keyward.mfa;

import com.webauthn4j.converter.util.ObjectConverter;
import org.keycloak.authentication.authenticators.browser.WebAuthnMetadataService;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.credential.WebAuthnPasswordlessCredentialProvider;
import org.keycloak.models.KeycloakSession;

/**
 * Keycloak's passkey credential provider, except that a user's only passkey is not removable
 * while two-factor sign-in needs it ({@link MethodRemovalGuard}). Keycloak asks this metadata
 * before every removal by the user (account console, the account REST API, the
 * {@code delete_credential} action), and the account console hides "Delete" when it says no.
 */
class GuardedPasskeyCredentialProvider extends WebAuthnPasswordlessCredentialProvider {
    private final KeycloakSession session;

    GuardedPasskeyCredentialProvider(
            KeycloakSession session, WebAuthnMetadataService metadataService, ObjectConverter converter) {
        super(session, metadataService, converter);
        this.session = session;
    }

    @Override
    public CredentialTypeMetadata getCredentialTypeMetadata(CredentialTypeMetadataContext context) {
        CredentialTypeMetadata metadata = super.getCredentialTypeMetadata(context);
        if (!MethodRemovalGuard.needed(
                session, session.getContext().getRealm(), context.getUser(), LocalMethod.PASSKEY)) {
            return metadata;
        }
        return CredentialTypeMetadata.builder()
                .type(metadata.getType())
                .category(metadata.getCategory())
                .displayName(metadata.getDisplayName())
                .helpText(metadata.getHelpText())
                .iconCssClass(metadata.getIconCssClass())
                .createAction(metadata.getCreateAction())
                .removeable(false)
                .build(session);
    }
}
