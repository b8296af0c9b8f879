package dev.keyward.opaque.authenticator;

import dev.keyward.common.StepFactory;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.keycloak.Config;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.credential.PasswordCredentialModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Registers {@link OpaqueAuthenticator} as {@code keyward-opaque-login}. */
public class OpaqueAuthenticatorFactory extends StepFactory {
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED,
        AuthenticationExecutionModel.Requirement.ALTERNATIVE,
        AuthenticationExecutionModel.Requirement.DISABLED,
    };

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(OpaqueConstants.CONFIG_LEGACY_MIGRATION)
            .label("Migrate legacy passwords")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue("false")
            .helpText("Users who still have only a Keycloak password (no OPAQUE password yet) sign in on this form"
                    + " with it once: the browser sends that password to Keycloak one time (over TLS), Keycloak checks"
                    + " it, and the browser registers an OPAQUE password from the same typing. The Keycloak password"
                    + " is then deleted. Names that match no user cannot be told apart from either kind of user, so"
                    + " about half of them get the legacy step: a user who mistypes their name sends their password"
                    + " there. Works only with an end date (next setting).")
            .add()
            .property()
            .name(OpaqueConstants.CONFIG_LEGACY_MIGRATION_UNTIL)
            .label("Migrate legacy passwords until")
            .type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Last day of the migration, yyyy-MM-dd (UTC). Required: without it, or after it, no password is"
                    + " migrated, and users who still have only a Keycloak password reset it by email.")
            .add()
            .build();

    /** {@code --spi-authenticator--keyward-opaque-login--ke3-timeout}: seconds from KE2 to KE3 before a guess counts as abandoned. */
    static final String OPTION_KE3_TIMEOUT = "ke3-timeout";

    static final int DEFAULT_KE3_TIMEOUT_SECONDS = 120;

    private Duration ke3Deadline = Duration.ofSeconds(DEFAULT_KE3_TIMEOUT_SECONDS);

    @Override
    public Authenticator create(KeycloakSession session) {
        return new OpaqueAuthenticator(ke3Deadline);
    }

    @Override
    public String getId() {
        return OpaqueConstants.AUTHENTICATOR_ID;
    }

    @Override
    public String getDisplayType() {
        return "OPAQUE password form";
    }

    @Override
    public String getHelpText() {
        return "Username and password form where the password never leaves the browser (OPAQUE, RFC 9807).";
    }

    /**
     * {@code password}: OPAQUE is a password, and since Keycloak 26.6 the brute-force protector
     * only counts failures of the categories password, otp and recovery-authn-codes.
     */
    @Override
    public String getReferenceCategory() {
        return PasswordCredentialModel.TYPE;
    }

    /** Lets the account console list the {@code keyward-opaque} credential type for realms using this form. */
    @Override
    public Set<String> getOptionalReferenceCategories(KeycloakSession session) {
        return Set.of(OpaqueConstants.CREDENTIAL_TYPE);
    }

    /** The execution can carry a config ({@link OpaqueConstants#CONFIG_LEGACY_MIGRATION}). */
    @Override
    public boolean isConfigurable() {
        return true;
    }

    @Override
    public AuthenticationExecutionModel.Requirement[] getRequirementChoices() {
        return REQUIREMENTS;
    }

    @Override
    public List<ProviderConfigProperty> getConfigProperties() {
        return CONFIG;
    }

    @Override
    public void init(Config.Scope config) {
        int seconds = config.getInt(OPTION_KE3_TIMEOUT, DEFAULT_KE3_TIMEOUT_SECONDS);
        if (seconds < 5 || seconds > 3600) {
            throw new IllegalArgumentException("--spi-authenticator--keyward-opaque-login--" + OPTION_KE3_TIMEOUT
                    + " must be between 5 and 3600 seconds, not " + seconds);
        }
        ke3Deadline = Duration.ofSeconds(seconds);
    }
}
