package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeywardIds;

/**
 * Every identifier, configuration key, form field and session-note name of this module, in one
 * place. The wire names (form fields and JSON members) are a contract with the page JavaScript
 * ({@code keyward-opaque.js}) and with non-browser clients: change them only together.
 */
public final class OpaqueConstants {
    private OpaqueConstants() {}

    // ---- provider ids -----------------------------------------------------------------------

    /** Credential type stored in Keycloak's credential table. */
    public static final String CREDENTIAL_TYPE = KeywardIds.OPAQUE_CREDENTIAL_TYPE;
    /** Id of the {@link OpaqueCredentialProviderFactory}. */
    public static final String CREDENTIAL_PROVIDER_ID = "keyward-opaque";
    /** Id of the login authenticator. */
    public static final String AUTHENTICATOR_ID = KeywardIds.OPAQUE_AUTHENTICATOR;
    /** Id of the reset-credentials authenticator that ends a reset in OPAQUE registration. */
    public static final String RESET_AUTHENTICATOR_ID = "keyward-opaque-reset";
    /** Id of the registration (set / change / reset) required action. */
    public static final String REGISTER_ACTION_ID = KeywardIds.OPAQUE_REGISTER_ACTION;
    /** Name of the server-keys SPI. */
    public static final String KEYS_SPI = "keyward-opaque-keys";
    /** Id of the default keys provider. */
    public static final String KEYS_PROVIDER_ID = "default";

    // ---- server configuration (spi-keyward-opaque-keys--default--<key>) ----------------------

    /** Base64 (standard or URL-safe, padding optional) secret of at least 32 bytes. */
    public static final String CONFIG_SETUP_SECRET = "setupSecret";
    /**
     * Keyring of setup secrets ({@code id:base64,...}, the vault keyring's syntax), instead of
     * {@link #CONFIG_SETUP_SECRET}, which is the ring {@code 1:<secret>}.
     */
    public static final String CONFIG_SETUP_SECRETS = "setupSecrets";
    /** The id in {@link #CONFIG_SETUP_SECRETS} new registrations use. */
    public static final String CONFIG_ACTIVE_SETUP_SECRET = "activeSetupSecret";
    /** OPAQUE suite identifier: {@code ristretto255-SHA512} (default) or {@code P256-SHA256}. */
    public static final String CONFIG_SUITE = "suite";
    /** Argon2id iterations the browser runs (t). */
    public static final String CONFIG_KSF_ITERATIONS = "ksfIterations";
    /** Argon2id memory in KiB the browser uses (m). */
    public static final String CONFIG_KSF_MEMORY = "ksfMemory";
    /** Argon2id lanes (p). */
    public static final String CONFIG_KSF_PARALLELISM = "ksfParallelism";
    /** Where dev mode keeps its generated secret; default {@code <kc.home.dir>/data/keyward/opaque-setup-secret}. */
    public static final String CONFIG_DEV_SECRET_FILE = "devSecretFile";

    // ---- authenticator configuration (execution config of keyward-opaque-login) ------------------

    /**
     * Boolean, default false: users who have only a legacy Keycloak password send it once (over
     * TLS) on the OPAQUE form and get an OPAQUE record in its place.
     */
    public static final String CONFIG_LEGACY_MIGRATION = "legacyMigration";
    /**
     * Date {@code yyyy-MM-dd} (UTC), the last day of the migration: {@link #CONFIG_LEGACY_MIGRATION}
     * works only up to it, and not at all without it, so a migration window always closes.
     */
    public static final String CONFIG_LEGACY_MIGRATION_UNTIL = "legacyMigrationUntil";

    // ---- wire: form fields --------------------------------------------------------------------

    /** Which protocol step a POST carries. */
    public static final String FIELD_STEP = "opaque_step";
    /** Login step 1 (fetch): KE1. */
    public static final String STEP_KE1 = "ke1";
    /** Login step 2 (form POST): KE3. */
    public static final String STEP_KE3 = "ke3";
    /** Registration step 1 (fetch): the registration request. */
    public static final String STEP_REGISTRATION_REQUEST = "registration-request";
    /** Registration step 2 (form POST): the registration record. */
    public static final String STEP_REGISTRATION_RECORD = "registration-record";
    /** Legacy migration step 1 (fetch): the legacy password and a registration request. */
    public static final String STEP_LEGACY = "legacy";
    /** Legacy migration step 2 (form POST): the registration record. */
    public static final String STEP_LEGACY_RECORD = "legacy-record";
    /** Rekey step 1 (fetch): KE3 and a registration request under the active setup secret. */
    public static final String STEP_KE3_REKEY = "ke3-rekey";
    /** Rekey step 2 (form POST): the new record and its proof. */
    public static final String STEP_REKEY_RECORD = "rekey-record";
    /** Rekey step 2 instead, when the client could not finish the registration: sign in, keep the old record. */
    public static final String STEP_REKEY_SKIP = "rekey-skip";
    /** The rekey proof ({@link RekeyProof#proof}), base64url without padding. */
    public static final String FIELD_REKEY_PROOF = "proof";
    /** The legacy Keycloak password (legacy step only; never logged, stored or echoed). */
    public static final String FIELD_PASSWORD = "password";
    /** Username (or email, when the realm allows it). */
    public static final String FIELD_USERNAME = "username";
    /** KE1, base64url without padding. */
    public static final String FIELD_KE1 = "ke1";
    /** KE3, base64url without padding. */
    public static final String FIELD_KE3 = "ke3";
    /** Registration request, base64url without padding. */
    public static final String FIELD_REQUEST = "request";
    /** Registration record, base64url without padding. */
    public static final String FIELD_RECORD = "record";
    /** Keycloak's remember-me checkbox. */
    public static final String FIELD_REMEMBER_ME = "rememberMe";

    // ---- wire: JSON members ----------------------------------------------------------------------

    /** KE2 in the step-1 login answer. */
    public static final String JSON_KE2 = "ke2";
    /**
     * In every KE1 answer: 32 bytes, base64url, which equal {@link RekeyProof#offer} of the
     * session key when the client should re-register under the active setup secret.
     */
    public static final String JSON_REKEY = "rekey";
    /** Registration response in the step-1 registration answer. */
    public static final String JSON_RESPONSE = "response";
    /** The URL (with a fresh one-time session code) that step 2 must POST to. */
    public static final String JSON_ACTION = "action";
    /** Error code of a 4xx JSON answer. */
    public static final String JSON_ERROR = "error";
    /** Error code: the request was malformed (OAuth-style name). */
    public static final String ERROR_INVALID_REQUEST = "invalid_request";
    /** Error code of a failed legacy password step, whatever the reason (OAuth-style name). */
    public static final String ERROR_INVALID_GRANT = "invalid_grant";
    /** {@code true} in the step-1 login answer: send the legacy password (legacy migration). */
    public static final String JSON_LEGACY = "legacy";
    /** The localized text the page shows for an {@code invalid_grant} answer. */
    public static final String JSON_MESSAGE = "message";

    // ---- template attributes and pages --------------------------------------------------------

    /** Login page template (theme-resources/templates). */
    public static final String TEMPLATE_LOGIN = "login-opaque.ftl";
    /** Registration page template (theme-resources/templates). */
    public static final String TEMPLATE_REGISTER = "register-opaque.ftl";
    /** The email to a two-factor user whose password a retirement removed (templates/html and text). */
    public static final String TEMPLATE_RETIRED_EMAIL = "keyward-opaque-retired.ftl";
    /** Template attribute: the user's passkey can confirm a reset ("Forgot password?"). */
    public static final String ATTR_RETIRED_PASSKEY = "hasPasskey";
    /** Template attribute: the user can sign in with passkey and email code, then set the password. */
    public static final String ATTR_RETIRED_SIGN_IN = "canSignIn";
    /** Template attribute: the username to prefill (submitted value or OIDC login_hint). */
    public static final String ATTR_USERNAME = "opaqueUsername";
    /** Template attribute: the suite identifier. */
    public static final String ATTR_SUITE = "opaqueSuite";
    /** Template attribute: KSF parameters as JSON, e.g. {@code {"t":3,"m":65536,"p":4}}. */
    public static final String ATTR_KSF = "opaqueKsf";
    /** Template attribute: the page script's file name under {@code js/} ({@link PageAssets}). */
    public static final String ATTR_SCRIPT = "opaqueScript";
    /** Template attribute: the suite bundle's file name under {@code js/}, absent for a suite without one. */
    public static final String ATTR_SUITE_SCRIPT = "opaqueSuiteScript";
    /** Template attribute (registration): minimum password length from the realm policy. */
    public static final String ATTR_MIN_LENGTH = "opaqueMinLength";
    /** Template attribute (registration): maximum password length from the realm policy (0 = none). */
    public static final String ATTR_MAX_LENGTH = "opaqueMaxLength";
    /** Template attribute (registration): the realm policy forbids the username as password. */
    public static final String ATTR_NOT_USERNAME = "opaqueNotUsername";
    /** Template attribute (registration): the realm policy forbids a password containing the username. */
    public static final String ATTR_NOT_CONTAINS_USERNAME = "opaqueNotContainsUsername";
    /** Template attribute (registration): the realm policy forbids the email as password. */
    public static final String ATTR_NOT_EMAIL = "opaqueNotEmail";

    // ---- message keys (theme-resources/messages) ----------------------------------------------

    /** Shown when a POST is malformed or names an unknown step. */
    public static final String MSG_INVALID_REQUEST = "keywardOpaqueInvalidRequest";
    /**
     * Shown when a form POST has no {@code opaque_step}: the page's script did not run (JavaScript
     * off or blocked), so the form went out without the protocol. Says why and what to do; "could
     * not be processed" only sent the user round the same page again.
     */
    public static final String MSG_SCRIPT_NOT_RUN = "keywardOpaqueScriptNotRun";
    /** Shown when a reset cannot end in OPAQUE registration (the realm lacks the enabled required action). */
    public static final String MSG_RESET_UNAVAILABLE = "keywardOpaqueResetUnavailable";
    /** Subject of {@link #TEMPLATE_RETIRED_EMAIL}; {0} is the realm's display name. */
    public static final String MSG_RETIRED_SUBJECT = "keywardOpaqueRetiredSubject";
    /** Event detail: how many legacy Keycloak passwords a registration removed. */
    public static final String DETAIL_LEGACY_PASSWORDS_REMOVED = "legacy_passwords_removed";
    /** Event detail: {@code <from>-><to>}, the setup-secret ids of a credential this login re-registered. */
    public static final String DETAIL_REKEYED = "opaque_rekeyed";
    /** Event detail: why a re-registration offered in this login did not happen (the login still completed). */
    public static final String DETAIL_REKEY_FAILED = "opaque_rekey_failed";
    /** Event detail: {@code true} when this login replaced a legacy password by an OPAQUE record. */
    public static final String DETAIL_MIGRATED = "keyward_migrated";
    /** Id (and path segment under /admin/realms/{realm}/) of the migration admin endpoint. */
    public static final String ADMIN_RESOURCE_ID = "keyward-opaque";
    /** Keycloak's "sign out other devices" checkbox on password pages. */
    public static final String FIELD_LOGOUT_SESSIONS = "logout-sessions";

    /** Credential display name in the account console. */
    public static final String MSG_DISPLAY_NAME = "keyward-opaque-display-name";
    /** Credential help text in the account console. */
    public static final String MSG_HELP_TEXT = "keyward-opaque-help-text";
}
