package dev.keyward.emailcode;

import dev.keyward.common.StepFactory;
import java.util.List;
import org.keycloak.authentication.Authenticator;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/** Registers {@link EmailCodeAuthenticator} as {@code keyward-email-code}, with its per-execution settings. */
public class EmailCodeAuthenticatorFactory extends StepFactory {
    private static final AuthenticationExecutionModel.Requirement[] REQUIREMENTS = {
        AuthenticationExecutionModel.Requirement.REQUIRED,
        AuthenticationExecutionModel.Requirement.ALTERNATIVE,
        AuthenticationExecutionModel.Requirement.DISABLED,
    };

    private static final EmailCodeSettings D = EmailCodeSettings.DEFAULTS;

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(EmailCodeSettings.LENGTH)
            .label("Code length")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(D.length()))
            .helpText("Characters per code, 6 to 10.")
            .add()
            .property()
            .name(EmailCodeSettings.ALPHABET)
            .label("Code alphabet")
            .type(ProviderConfigProperty.LIST_TYPE)
            .options(CodeAlphabet.DIGITS.id(), CodeAlphabet.UPPERCASE_NO_AMBIGUOUS.id())
            .defaultValue(D.alphabet().id())
            .helpText("digits: 0-9. uppercase-no-ambiguous: A-Z and 2-9 without 0/O, 1/I/L; more guesses per"
                    + " character, easy to read off a mail.")
            .add()
            .property()
            .name(EmailCodeSettings.LIFETIME_SECONDS)
            .label("Code lifetime (seconds)")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Long.toString(D.lifetime().toSeconds()))
            .helpText("How long a code is accepted, 60 to 3600 seconds.")
            .add()
            .property()
            .name(EmailCodeSettings.MAX_ATTEMPTS)
            .label("Wrong attempts per code")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(D.maxAttempts()))
            .helpText("Wrong codes after which the code is dead and the user must ask for a new one, 1 to 10. Every"
                    + " wrong code also counts as a failed login in the realm's brute-force detection.")
            .add()
            .property()
            .name(EmailCodeSettings.RESEND_COOLDOWN_SECONDS)
            .label("Resend cooldown (seconds)")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Long.toString(D.resendCooldown().toSeconds()))
            .helpText("Least time between two mails to one user, across all their logins and tabs, 0 to 600 seconds.")
            .add()
            .property()
            .name(EmailCodeSettings.MAX_SENDS_PER_HOUR)
            .label("Mails per user per hour")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(D.maxSendsPerHour()))
            .helpText("Most code mails to one user in any hour, 1 to 20.")
            .add()
            .property()
            .name(EmailCodeSettings.MARK_EMAIL_VERIFIED)
            .label("Verify email on first-factor sign-in")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(Boolean.toString(D.markEmailVerified()))
            .helpText("Off: only verified addresses get codes. On: when the code is the first factor, unverified"
                    + " addresses get codes too, and a right code marks the address verified.")
            .add()
            .property()
            .name(EmailCodeSettings.REQUEST_DETAILS_IN_EMAIL)
            .label("Time and IP address in the mail")
            .type(ProviderConfigProperty.BOOLEAN_TYPE)
            .defaultValue(Boolean.toString(D.requestDetailsInEmail()))
            .helpText("The mail says when (UTC) and from which IP address the code was asked for.")
            .add()
            .build();

    /** One per node: its delay thread outlives requests. */
    private final DeferredMail firstFactorMail = new DeferredMail();

    @Override
    public Authenticator create(KeycloakSession session) {
        return new EmailCodeAuthenticator(firstFactorMail);
    }

    @Override
    public void close() {
        firstFactorMail.close();
    }

    @Override
    public String getId() {
        return EmailCodeConstants.AUTHENTICATOR_ID;
    }

    @Override
    public String getDisplayType() {
        return "Email code";
    }

    @Override
    public String getHelpText() {
        return "A one-time code sent by email: as a first factor (asks for the username or email itself), after a"
                + " username form, as a second factor, or in the reset-credentials flow.";
    }

    /**
     * Our own type, so realms using this step do not also get "Authenticator application" offered
     * in the account console; wrong codes are reported to the brute-force protector as {@code otp}
     * by the authenticator itself.
     */
    @Override
    public String getReferenceCategory() {
        return EmailCodeConstants.CREDENTIAL_TYPE;
    }

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
}
