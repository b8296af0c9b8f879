package dev.keyward.emailcode;

import org.keycloak.credential.CredentialProviderFactory;
import org.keycloak.models.KeycloakSession;

/** Registers the {@code keyward-email-code} credential type. */
public class EmailCodeCredentialProviderFactory implements CredentialProviderFactory<EmailCodeCredentialProvider> {
    @Override
    public EmailCodeCredentialProvider create(KeycloakSession session) {
        return new EmailCodeCredentialProvider(session);
    }

    @Override
    public String getId() {
        return EmailCodeConstants.CREDENTIAL_PROVIDER_ID;
    }
}
