package dev.keyward.common;

/**
 * The ids by which one module of the pack names another's parts: the two-factor policy counts
 * OPAQUE passwords and email codes without depending on their modules. Each module's own
 * constants refer to these, so an id is written once.
 */
public final class KeywardIds {
    /** The credential type of an OPAQUE registration record. */
    public static final String OPAQUE_CREDENTIAL_TYPE = "keyward-opaque";
    /** The OPAQUE sign-in form's authenticator. */
    public static final String OPAQUE_AUTHENTICATOR = "keyward-opaque-login";
    /** The required action that sets a new OPAQUE password. */
    public static final String OPAQUE_REGISTER_ACTION = "keyward-opaque-register";
    /** The credential type of the email-code method (configured for a verified address). */
    public static final String EMAIL_CODE_CREDENTIAL_TYPE = "keyward-email-code";
    /** The email-code authenticator. */
    public static final String EMAIL_CODE_AUTHENTICATOR = "keyward-email-code";
    /** The credential type Keycloak stores a passkey under (its passwordless WebAuthn). */
    public static final String PASSKEY_CREDENTIAL_TYPE = "webauthn-passwordless";
    /**
     * The first-factor passkey step next to the OPAQUE form: it ends a passkey sign-in begun on the
     * OPAQUE page, or shows Keycloak's passkey page when chosen under "Try another way".
     */
    public static final String PASSKEY_AUTHENTICATOR = "keyward-passkey";

    /** The user attribute that switches two-factor sign-in on for a user, and its "on" value. */
    public static final String TWO_FACTOR_ATTRIBUTE = "two_factor_enabled";

    /** {@link #TWO_FACTOR_ATTRIBUTE}'s value when two-factor sign-in is on. */
    public static final String TWO_FACTOR_ON = "true";

    private KeywardIds() {}
}
