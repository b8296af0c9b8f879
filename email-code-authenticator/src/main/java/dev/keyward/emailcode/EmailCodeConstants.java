package dev.keyward.emailcode;

import dev.keyward.common.BruteForce;
import dev.keyward.common.KeywardIds;

/** Ids, form fields, note names, templates and message keys of the email-code factor, in one place. */
public final class EmailCodeConstants {
    /** Authenticator id (and the execution's provider in flows). */
    public static final String AUTHENTICATOR_ID = KeywardIds.EMAIL_CODE_AUTHENTICATOR;
    /**
     * Credential type: stored nowhere, "configured" when the user has a usable address. Also the
     * authenticator's reference category and what {@code context.success} records.
     */
    public static final String CREDENTIAL_TYPE = KeywardIds.EMAIL_CODE_CREDENTIAL_TYPE;
    /** Credential provider id. */
    public static final String CREDENTIAL_PROVIDER_ID = "keyward-email-code";
    /**
     * Brute-force category of a wrong code when the code is a second factor, and the category
     * added to a successful login's credentials (so Keycloak then clears both failure counts). Since
     * Keycloak 26.6 the protector drops every category but password, otp and recovery codes;
     * {@code otp} also counts against the realm's separate limit on second-factor failures.
     */
    public static final String SECOND_FACTOR_CATEGORY = BruteForce.OTP;
    /**
     * Brute-force category of a wrong code when the code is the first factor: counted like a wrong
     * password, and kept out of the second-factor limit, which disables accounts for good.
     */
    public static final String FIRST_FACTOR_CATEGORY = BruteForce.PASSWORD;

    /** Form field: what the button asks for, one of the {@code OP_*} values. */
    public static final String FIELD_OP = "email_code_op";
    /** Form field: the typed code. */
    public static final String FIELD_CODE = "code";
    /** Form field: username or email on the identify page. */
    public static final String FIELD_USERNAME = "username";
    /** Send a code to the account named on the identify page. */
    public static final String OP_IDENTIFY = "identify";
    /** Check the typed code. */
    public static final String OP_VERIFY = "verify";
    /** Send a new code, replacing the old one. */
    public static final String OP_RESEND = "resend";

    /** Auth-note prefix; the execution id follows, so two email-code steps in one flow keep apart. */
    static final String NOTE_PREFIX = "keyward-email-code.";
    /** Note suffix: who the code is for ({@link CodeSubject#toNote}). */
    static final String NOTE_SUBJECT = ".subject";
    /** Note suffix: the stored code ({@link StoredCode#toNote}). */
    static final String NOTE_CODE = ".code";

    /** Login page: the code. */
    public static final String TEMPLATE_CODE = "keyward-email-code.ftl";
    /** Login page: username or email, when no earlier step named the user. */
    public static final String TEMPLATE_IDENTIFY = "keyward-email-code-identify.ftl";
    /** Email template (the email theme's {@code html/} and {@code text/} folders). */
    public static final String TEMPLATE_EMAIL = "keyward-email-code.ftl";

    static final String MSG_EMAIL_SUBJECT = "keywardEmailCodeSubject";
    static final String MSG_SENT_IF_EXISTS = "keywardEmailCodeSentIfExists";
    static final String MSG_SENT_TO = "keywardEmailCodeSentTo";
    static final String MSG_RESENT_IF_EXISTS = "keywardEmailCodeResentIfExists";
    static final String MSG_RESENT_TO = "keywardEmailCodeResentTo";
    static final String MSG_INVALID = "keywardEmailCodeInvalid";
    static final String MSG_EXPIRED = "keywardEmailCodeExpired";
    static final String MSG_EXHAUSTED = "keywardEmailCodeExhausted";
    static final String MSG_MISSING = "keywardEmailCodeMissing";
    static final String MSG_NONE_SENT = "keywardEmailCodeNoneSent";
    static final String MSG_COOLDOWN = "keywardEmailCodeCooldown";
    static final String MSG_HOURLY_CAP = "keywardEmailCodeHourlyCap";
    static final String MSG_SEND_FAILED = "keywardEmailCodeSendFailed";
    static final String MSG_USERNAME_MISSING = "keywardEmailCodeUsernameMissing";
    static final String MSG_UNAVAILABLE = "keywardEmailCodeUnavailable";
    static final String MSG_NO_ADDRESS = "keywardEmailCodeNoAddress";

    /** Event detail: what happened to a code ({@code sent}, {@code verified}, ...); never the code. */
    public static final String DETAIL_OUTCOME = "email_code";

    private EmailCodeConstants() {}
}
