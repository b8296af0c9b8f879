package dev.keyward.mfa;

import java.util.List;
import org.keycloak.Config;
import org.keycloak.authentication.RequiredActionFactory;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionConfigModel;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;
import org.keycloak.userprofile.ValidationException;
import org.keycloak.validate.ValidationError;

/**
 * What the enable and disable factories share: one setting, how recent the two proven methods must
 * be. Re-authentication itself is not optional, so Keycloak's {@code max_auth_age} is not offered.
 */
abstract class TwoFactorSwitchFactory implements RequiredActionFactory {
    /** Config key: seconds within which the login must have proven the methods the switch counts. */
    static final String PROOF_SECONDS = "proofSeconds";

    /** Keycloak's own age for application-initiated actions ({@code Constants.KC_ACTION_MAX_AGE}). */
    static final int DEFAULT_PROOF_SECONDS = 300;

    /** Longer would let a morning's two-factor sign-in switch the policy in the afternoon. */
    static final int MAX_PROOF_SECONDS = 3600;

    private static final List<ProviderConfigProperty> CONFIG = ProviderConfigurationBuilder.create()
            .property()
            .name(PROOF_SECONDS)
            .label("Proof age (seconds)")
            .type(ProviderConfigProperty.INTEGER_TYPE)
            .defaultValue(Integer.toString(DEFAULT_PROOF_SECONDS))
            .helpText("Methods proven by the sign-in count for this switch for this many seconds (1 to "
                    + MAX_PROOF_SECONDS + "); older, the page asks to sign in again.")
            .add()
            .build();

    @Override
    public List<ProviderConfigProperty> getConfigMetadata() {
        return CONFIG;
    }

    @Override
    public void validateConfig(KeycloakSession session, RealmModel realm, RequiredActionConfigModel model) {
        String value = model.getConfigValue(PROOF_SECONDS);
        if (value != null && parse(value) == null) {
            throw new ValidationException(
                    new ValidationError(getId(), PROOF_SECONDS, "error-number-out-of-range", 1, MAX_PROOF_SECONDS));
        }
    }

    /** The configured proof age, or the default when the action has no (valid) config. */
    static int proofSeconds(RequiredActionConfigModel model) {
        Integer seconds = model == null ? null : parse(model.getConfigValue(PROOF_SECONDS));
        return seconds == null ? DEFAULT_PROOF_SECONDS : seconds;
    }

    private static Integer parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            int seconds = Integer.parseInt(value.trim());
            return seconds >= 1 && seconds <= MAX_PROOF_SECONDS ? seconds : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    @Override
    public void init(Config.Scope config) {}

    @Override
    public void postInit(KeycloakSessionFactory factory) {}

    @Override
    public void close() {}
}
