package dev.keyward.mfa;

/**
 * The local sign-in methods the two-factor policy counts, by the credential type each one
 * records. External identity-provider links are not local methods and never count.
 */
public enum LocalMethod {
    /** An OPAQUE password: a {@code keyward-opaque} record exists. */
    PASSWORD("keyward-opaque"),
    /** A passkey: a {@code webauthn-passwordless} credential exists. */
    PASSKEY("webauthn-passwordless"),
    /** An email code: the {@code keyward-email-code} type, "configured" with a verified address. */
    EMAIL_CODE("keyward-email-code");

    private final String credentialType;

    LocalMethod(String credentialType) {
        this.credentialType = credentialType;
    }

    /** @return the credential type this method's authenticator records on success */
    public String credentialType() {
        return credentialType;
    }
}
