package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import java.util.List;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator {@code keyward-two-factor-email} for {@code email}: while two-factor
 * sign-in is on and the email code is one of only two usable methods, the address cannot change
 * (a new address starts unverified, which would leave one method). Applies to the account console,
 * the account REST API and admins alike: switch two-factor off, or add a method, first.
 */
public class TwoFactorEmailValidator implements SimpleValidator {
    /** Id to use in the email attribute's {@code validations}. */
    public static final String ID = "keyward-two-factor-email";

    static final String MSG_EMAIL_NEEDED = "keywardTwoFactorNeedsEmail";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public ValidationContext validate(
            Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        UserModel user = UserProfileAttributeValidationContext.from(context)
                .getAttributeContext()
                .getUser();
        if (user == null || user.getEmail() == null) {
            return context;
        }
        String value = input instanceof List<?> values && !values.isEmpty() && values.get(0) != null
                ? values.get(0).toString()
                : "";
        if (value.equalsIgnoreCase(user.getEmail())) {
            return context;
        }
        KeycloakSession session = context.getSession();
        if (MethodRemovalGuard.needed(session, session.getContext().getRealm(), user, LocalMethod.EMAIL_CODE)) {
            context.addError(
                    new ValidationError(ID, inputHint, MSG_EMAIL_NEEDED).setStatusCode(Response.Status.BAD_REQUEST));
        }
        return context;
    }
}
