package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.userprofile.UserProfileAttributeValidationContext;
import org.keycloak.validate.SimpleValidator;
import org.keycloak.validate.ValidationContext;
import org.keycloak.validate.ValidationError;
import org.keycloak.validate.ValidatorConfig;

/**
 * User-profile validator {@code keyward-two-usable-methods} for {@code two_factor_enabled}: the
 * value may change to {@code true} only for a user with two usable local methods
 * ({@link UsableMethods}). It runs wherever Keycloak validates the profile: the admin console, the
 * admin REST API, the account console and its REST API (where the realm's permissions already
 * keep users from editing the attribute at all). A user already switched on stays editable:
 * dropping below two methods later is for the removal checks, not for every profile save. An
 * accepted switch to on is marked in the request for {@link TwoFactorRevocationListener}.
 */
public class TwoUsableMethodsValidator implements SimpleValidator {
    /** Id to use in the attribute's {@code validations}. */
    public static final String ID = "keyward-two-usable-methods";

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public ValidationContext validate(
            Object input, String inputHint, ValidationContext context, ValidatorConfig config) {
        if (!(input instanceof List<?> values) || values.isEmpty() || !TwoFactorConstants.ON.equals(values.get(0))) {
            return context;
        }
        UserModel user = UserProfileAttributeValidationContext.from(context)
                .getAttributeContext()
                .getUser();
        if (user != null && TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            return context;
        }
        KeycloakSession session = context.getSession();
        RealmModel realm = session.getContext().getRealm();
        Set<LocalMethod> usable = user == null ? Set.of() : UsableMethods.of(session, realm, user);
        if (!UsableMethods.enoughForTwoFactor(usable)) {
            context.addError(new ValidationError(ID, inputHint, TwoFactorConstants.MSG_NEEDS_TWO_METHODS, usable.size())
                    .setStatusCode(Response.Status.BAD_REQUEST));
        } else {
            // switching on: once the update has gone through, TwoFactorRevocationListener ends older sessions
            session.setAttribute(TwoFactorRevocationListener.switchedOnMark(user.getId()), Boolean.TRUE);
        }
        return context;
    }
}
