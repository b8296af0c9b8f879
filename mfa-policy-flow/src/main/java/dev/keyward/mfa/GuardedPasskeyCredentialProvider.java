package dev.keyward.mfa;

import com.webauthn4j.converter.util.ObjectConverter;
import jakarta.ws.rs.core.Response;
import java.util.regex.Pattern;
import org.keycloak.authentication.authenticators.browser.WebAuthnMetadataService;
import org.keycloak.credential.CredentialTypeMetadata;
import org.keycloak.credential.CredentialTypeMetadataContext;
import org.keycloak.credential.WebAuthnPasswordlessCredentialProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.KeycloakSession;
import org.keycloak.services.ErrorResponse;

/**
 * Keycloak's passkey credential provider, except that a user's only passkey is not removable
 * while two-factor sign-in needs it ({@link MethodRemovalGuard}). Keycloak asks this metadata
 * before every removal by the user (account console, the account REST API, the
 * {@code delete_credential} action), and the account console hides "Delete" when it says no.
 *
 * <p>Asked by the account REST API's {@code DELETE credentials/{id}}, it refuses the removal itself
 * with a 400 whose {@code errorMessage} says why ({@code keywardPasskeyNeededForTwoFactor}):
 * Keycloak's own refusal there is the fixed, untranslated "Credential type cannot be removed". The
 * {@code delete_credential} action refuses before it gets here ({@link GuardedDeleteCredentialAction}).
 */
class GuardedPasskeyCredentialProvider extends WebAuthnPasswordlessCredentialProvider {
    /** The account REST API's credential removal, any API version. */
    private static final Pattern ACCOUNT_CREDENTIAL_REMOVAL =
            Pattern.compile(".*/realms/[^/]+/account(/v[^/]+)?/credentials/[^/]+/?");

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
        if (accountApiRemoval()) {
            throw ErrorResponse.error(TwoFactorConstants.MSG_PASSKEY_NEEDED, Response.Status.BAD_REQUEST);
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

    private boolean accountApiRemoval() {
        HttpRequest request = session.getContext().getHttpRequest();
        return request != null
                && "DELETE".equals(request.getHttpMethod())
                && ACCOUNT_CREDENTIAL_REMOVAL
                        .matcher(session.getContext().getUri().getPath())
                        .matches();
    }
}
