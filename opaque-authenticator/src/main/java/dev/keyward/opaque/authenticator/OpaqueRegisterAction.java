package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.RegistrationRecord;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.InitiatedActionSupport;
import org.keycloak.authentication.RequiredActionContext;
import org.keycloak.authentication.RequiredActionProvider;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.PasswordPolicy;
import org.keycloak.models.RealmModel;
import org.keycloak.models.RequiredActionProviderModel;
import org.keycloak.models.UserModel;
import org.keycloak.policy.LengthPasswordPolicyProviderFactory;
import org.keycloak.policy.MaximumLengthPasswordPolicyProviderFactory;
import org.keycloak.policy.NotContainsUsernamePasswordPolicyProviderFactory;
import org.keycloak.policy.NotEmailPasswordPolicyProviderFactory;
import org.keycloak.policy.NotUsernamePasswordPolicyProviderFactory;

/**
 * Sets or replaces the user's OPAQUE password; the registration runs in the browser. Wire
 * protocol:
 * <ol>
 *   <li>GET: {@code register-opaque.ftl}: unnamed new/confirm password inputs, hidden
 *       {@code opaque_step} and {@code record}, the suite, KSF and the realm's password-policy
 *       checks as data attributes (the server never sees the password, so the page checks it).</li>
 *   <li>fetch POST {@code opaque_step=registration-request&request=<b64url>}: 200
 *       {@code {"response":"..","action":".."}} or 400 {@code {"error":"invalid_request"}}.</li>
 *   <li>form POST {@code opaque_step=registration-record&record=<b64url>} to {@code action}: the
 *       record replaces the user's OPAQUE credential, a Keycloak {@code password} credential is
 *       removed, the action succeeds. A malformed record gets the page again with status 400.</li>
 * </ol>
 * A POST without {@code opaque_step} (the page's script did not run) gets the page again, 400,
 * with a message saying so; Cancel of an application-initiated action never reaches here
 * (Keycloak handles {@code cancel-aia} first).
 * The credential identifier is the user id, so renaming the user keeps the password working.
 */
public class OpaqueRegisterAction implements RequiredActionProvider {
    private final KeycloakSession session;

    /** @param session the request's session */
    public OpaqueRegisterAction(KeycloakSession session) {
        this.session = session;
    }

    /**
     * Whether Keycloak will really run this action in {@code realm}: it silently skips an action
     * the realm has not registered or has disabled, so callers that depend on it check first.
     *
     * @param realm the realm
     * @return true if registered, enabled and really this provider
     */
    static boolean usableIn(RealmModel realm) {
        return usable(realm.getRequiredActionProviderByAlias(OpaqueConstants.REGISTER_ACTION_ID));
    }

    /** @see #usableIn; {@code model} is null when the realm has not registered the action */
    static boolean usable(RequiredActionProviderModel model) {
        return model != null && model.isEnabled() && OpaqueConstants.REGISTER_ACTION_ID.equals(model.getProviderId());
    }

    @Override
    public InitiatedActionSupport initiatedActionSupport() {
        return InitiatedActionSupport.SUPPORTED;
    }

    @Override
    public void evaluateTriggers(RequiredActionContext context) {
        // enrolment is requested explicitly (admin, migration flow, reset-credentials, account console)
    }

    @Override
    public void requiredActionChallenge(RequiredActionContext context) {
        context.challenge(page(context, null, Response.Status.OK));
    }

    @Override
    public void processAction(RequiredActionContext context) {
        MultivaluedMap<String, String> formData = context.getHttpRequest().getDecodedFormParameters();
        String step = formData.getFirst(OpaqueConstants.FIELD_STEP);
        UserModel user = context.getUser();
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        EventBuilder event = context.getEvent();
        event.event(EventType.UPDATE_CREDENTIAL).detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE);
        EventBuilder errorEvent = event.clone()
                .event(EventType.UPDATE_CREDENTIAL_ERROR)
                .client(context.getAuthenticationSession().getClient())
                .user(user);

        if (OpaqueConstants.STEP_REGISTRATION_REQUEST.equals(step)) {
            String response;
            try {
                response = protocol.respond(
                        formData.getFirst(OpaqueConstants.FIELD_REQUEST),
                        user.getId().getBytes(StandardCharsets.UTF_8));
            } catch (InvalidMessageException e) {
                errorEvent.error(Errors.INVALID_REQUEST);
                context.challenge(Wire.invalidRequest());
                return;
            }
            context.getAuthenticationSession().setAuthNote(RegistrationProtocol.KEY_NOTE, keys.activeKeyId());
            // this request consumed the page's one-time session code; the record goes to a fresh one
            String action = context.getActionUrl(context.generateCode()).toString();
            context.challenge(Wire.ok(OpaqueConstants.JSON_RESPONSE, response, OpaqueConstants.JSON_ACTION, action));
        } else if (OpaqueConstants.STEP_REGISTRATION_RECORD.equals(step)) {
            RegistrationRecord record;
            try {
                record = protocol.parseRecord(formData.getFirst(OpaqueConstants.FIELD_RECORD));
            } catch (InvalidMessageException e) {
                errorEvent.error(Errors.INVALID_REQUEST);
                context.challenge(page(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
                return;
            }
            OpaqueCredentialProvider credentials = (OpaqueCredentialProvider)
                    session.getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
            int removed = credentials.replaceLegacyPasswords(
                    context.getRealm(),
                    user,
                    OpaqueCredentialModel.create(
                            protocol.suite(),
                            user.getId(),
                            keys.ksf(),
                            record.toBytes(),
                            RegistrationProtocol.takeKeyId(context.getAuthenticationSession(), keys)));
            event.detail(OpaqueConstants.DETAIL_LEGACY_PASSWORDS_REMOVED, Integer.toString(removed));
            // the user has just chosen a password: a pending UPDATE_PASSWORD (say, from an admin's
            // temporary password) would only ask for a second, server-checked one
            user.removeRequiredAction(UserModel.RequiredAction.UPDATE_PASSWORD);
            if ("on".equals(formData.getFirst(OpaqueConstants.FIELD_LOGOUT_SESSIONS))) {
                AuthenticatorUtil.logoutOtherSessions(context);
            }
            // Keycloak logs the UPDATE_CREDENTIAL success event for a successful required action
            context.success();
        } else {
            errorEvent.error(Errors.INVALID_REQUEST);
            context.challenge(page(context, OpaquePage.unknownStepMessage(step), Response.Status.BAD_REQUEST));
        }
    }

    private Response page(RequiredActionContext context, String error, Response.Status status) {
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        UserModel user = context.getUser();
        PasswordPolicy policy = context.getRealm().getPasswordPolicy();
        LoginFormsProvider form = OpaquePage.withScript(context.form(), keys)
                .setAttribute("username", user.getUsername())
                // the page's "not the email" check needs it; it is the signed-in user's own address
                .setAttribute("opaqueEmail", user.getEmail() == null ? "" : user.getEmail())
                .setAttribute(OpaqueConstants.ATTR_KSF, OpaquePage.ksfJson(keys))
                .setAttribute(
                        OpaqueConstants.ATTR_MIN_LENGTH, intPolicy(policy, LengthPasswordPolicyProviderFactory.ID))
                .setAttribute(
                        OpaqueConstants.ATTR_MAX_LENGTH,
                        intPolicy(policy, MaximumLengthPasswordPolicyProviderFactory.ID))
                .setAttribute(
                        OpaqueConstants.ATTR_NOT_USERNAME,
                        policy.getPolicies().contains(NotUsernamePasswordPolicyProviderFactory.ID))
                .setAttribute(
                        OpaqueConstants.ATTR_NOT_CONTAINS_USERNAME,
                        policy.getPolicies().contains(NotContainsUsernamePasswordPolicyProviderFactory.ID))
                .setAttribute(
                        OpaqueConstants.ATTR_NOT_EMAIL,
                        policy.getPolicies().contains(NotEmailPasswordPolicyProviderFactory.ID));
        if (error != null) {
            form.setError(error);
        }
        if (status != Response.Status.OK) {
            form.setStatus(status);
        }
        return form.createForm(OpaqueConstants.TEMPLATE_REGISTER);
    }

    /** The integer value of a length-type policy, 0 when the realm has none. */
    static int intPolicy(PasswordPolicy policy, String id) {
        if (policy == null || !policy.getPolicies().contains(id)) {
            return 0;
        }
        Object value = policy.getPolicyConfig(id);
        if (value instanceof Number n) {
            return n.intValue();
        }
        try {
            return value == null ? 0 : Integer.parseInt(value.toString().trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    @Override
    public void close() {}
}
