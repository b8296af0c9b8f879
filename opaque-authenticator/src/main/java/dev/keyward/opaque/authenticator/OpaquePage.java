package dev.keyward.opaque.authenticator;

import dev.keyward.common.LoginNames;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.text.MessageFormat;
import java.util.Locale;
import java.util.Properties;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.protocol.oidc.OIDCLoginProtocol;
import org.keycloak.theme.Theme;

/** The OPAQUE sign-in page and its texts, as every step of the login renders them. */
final class OpaquePage {
    private static final Logger LOG = Logger.getLogger(OpaquePage.class);

    private OpaquePage() {}

    /** Whether an earlier step (identity-first, re-authentication) fixed the user: only the password is asked. */
    static boolean isUserPreset(AuthenticationFlowContext context) {
        return context.getUser() != null
                && Boolean.parseBoolean(context.getAuthenticationSession()
                        .getAuthNote(AbstractUsernameFormAuthenticator.USER_SET_BEFORE_USERNAME_PASSWORD_AUTH));
    }

    /** The form with the suite, the Argon2id parameters and the name to prefill. */
    static LoginFormsProvider form(AuthenticationFlowContext context) {
        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        return withScript(context.form(), keys)
                .setAttribute(OpaqueConstants.ATTR_KSF, ksfJson(keys))
                .setAttribute(OpaqueConstants.ATTR_USERNAME, prefilledUsername(context));
    }

    /** The suite and the page script's bundles, which the login and registration pages both load. */
    static LoginFormsProvider withScript(LoginFormsProvider form, OpaqueKeysProvider keys) {
        PageAssets assets = PageAssets.built();
        form.setAttribute(OpaqueConstants.ATTR_SUITE, keys.suite().identifier())
                .setAttribute(OpaqueConstants.ATTR_SCRIPT, assets.page());
        String suiteScript = assets.suite(keys.suite());
        if (suiteScript != null) {
            form.setAttribute(OpaqueConstants.ATTR_SUITE_SCRIPT, suiteScript);
        }
        return form;
    }

    /**
     * The message for a POST whose {@code opaque_step} the page did not know: none at all means its
     * script never ran (the form went out without the protocol), anything else is a stray client.
     */
    static String unknownStepMessage(String step) {
        return step == null || step.isEmpty()
                ? OpaqueConstants.MSG_SCRIPT_NOT_RUN
                : OpaqueConstants.MSG_INVALID_REQUEST;
    }

    /** The page again, with an error, as this login's user sees it. */
    static Response withError(AuthenticationFlowContext context, String error, Response.Status status) {
        LoginFormsProvider form = form(context);
        if (isUserPreset(context)) {
            form.setAttribute(LoginFormsProvider.USERNAME_HIDDEN, true);
            form.setAttribute(LoginFormsProvider.REGISTRATION_DISABLED, true);
        }
        form.setError(error);
        PasskeyOffer.fill(context, form);
        if (status != Response.Status.OK) {
            form.setStatus(status);
        }
        return form.createForm(OpaqueConstants.TEMPLATE_LOGIN);
    }

    /** The name to show in the username field: what was just submitted, else the OIDC login_hint. */
    private static String prefilledUsername(AuthenticationFlowContext context) {
        String submitted = "POST".equalsIgnoreCase(context.getHttpRequest().getHttpMethod())
                ? context.getHttpRequest().getDecodedFormParameters().getFirst(OpaqueConstants.FIELD_USERNAME)
                : null;
        if (submitted != null && submitted.length() <= LoginNames.MAX_LENGTH) {
            return submitted;
        }
        String hint = context.getAuthenticationSession().getClientNote(OIDCLoginProtocol.LOGIN_HINT_PARAM);
        return hint == null ? "" : hint;
    }

    /** {@code {"t":3,"m":65536,"p":4}}: what the page hands to the OPAQUE client as Argon2id parameters. */
    static String ksfJson(OpaqueKeysProvider keys) {
        return "{\"t\":" + keys.ksf().iterations() + ",\"m\":" + keys.ksf().memoryKiB() + ",\"p\":"
                + keys.ksf().parallelism() + "}";
    }

    /**
     * A login-theme message in the user's locale, as the login page would render it: the legacy
     * step answers with JSON, and the page shows exactly this text.
     */
    static String text(AuthenticationFlowContext context, String key) {
        KeycloakSession session = context.getSession();
        Locale locale = session.getContext().resolveLocale(null);
        try {
            Properties messages =
                    session.theme().getTheme(Theme.Type.LOGIN).getEnhancedMessages(context.getRealm(), locale);
            String pattern = messages.getProperty(key);
            return pattern == null ? key : new MessageFormat(pattern, locale).format(new Object[0]);
        } catch (IOException | IllegalArgumentException e) {
            LOG.debugf("No login-theme text for %s", key);
            return key;
        }
    }
}
