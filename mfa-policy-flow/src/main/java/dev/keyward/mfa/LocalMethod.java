package dev.keyward.mfa;

import dev.keyward.common.BruteForce;
import dev.keyward.common.KeywardIds;
import java.util.List;
import java.util.Optional;

/**
 * The local sign-in methods the two-factor policy counts: the credential type each one stores,
 * and the authenticator that checks it. External identity-provider links are not local methods
 * and never count.
 */
public enum LocalMethod {
    /** An OPAQUE password: a {@code keyward-opaque} record exists. */
    PASSWORD(KeywardIds.OPAQUE_CREDENTIAL_TYPE, KeywardIds.OPAQUE_AUTHENTICATOR),
    /** A passkey: a {@code webauthn-passwordless} credential exists. */
    PASSKEY(KeywardIds.PASSKEY_CREDENTIAL_TYPE, "webauthn-authenticator-passwordless"),
    /** An email code: the {@code keyward-email-code} type, "configured" with a verified address. */
    EMAIL_CODE(KeywardIds.EMAIL_CODE_CREDENTIAL_TYPE, KeywardIds.EMAIL_CODE_AUTHENTICATOR);

    private final String credentialType;
    private final String authenticatorId;

    LocalMethod(String credentialType, String authenticatorId) {
        this.credentialType = credentialType;
        this.authenticatorId = authenticatorId;
    }

    /** @return the credential type that says a user has this method */
    public String credentialType() {
        return credentialType;
    }

    /** @return the authenticator that checks this method */
    public String authenticatorId() {
        return authenticatorId;
    }

    /**
     * @param authenticatorId the provider id of a flow step
     * @return the method that step checks, if it is one of the local methods
     */
    public static Optional<LocalMethod> ofAuthenticator(String authenticatorId) {
        for (LocalMethod m : values()) {
            if (m.stepIds().contains(authenticatorId)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /**
     * @return the flow steps that sign in with this method: its authenticator, and for the passkey
     *     also {@code keyward-passkey}, the passkey step next to the OPAQUE form (which ends a
     *     passkey sign-in begun on the OPAQUE page, or shows Keycloak's passkey page)
     */
    public List<String> stepIds() {
        return this == PASSKEY ? List.of(authenticatorId, KeywardIds.PASSKEY_AUTHENTICATOR) : List.of(authenticatorId);
    }

    /**
     * The method behind a credential type a login recorded ({@code context.success(type)}). The
     * OPAQUE form records {@code password}, the category Keycloak's brute-force protector and LoA
     * know; the email code records {@code keyward-email-code} (and {@code otp}, which maps to none).
     *
     * @param recorded a type from the login's authentication credentials
     * @return the method, if it is one of the local methods
     */
    public static Optional<LocalMethod> ofRecordedType(String recorded) {
        return switch (recorded) {
            case BruteForce.PASSWORD, KeywardIds.OPAQUE_CREDENTIAL_TYPE -> Optional.of(PASSWORD);
            case KeywardIds.PASSKEY_CREDENTIAL_TYPE -> Optional.of(PASSKEY);
            case KeywardIds.EMAIL_CODE_CREDENTIAL_TYPE -> Optional.of(EMAIL_CODE);
            default -> Optional.empty();
        };
    }
}
