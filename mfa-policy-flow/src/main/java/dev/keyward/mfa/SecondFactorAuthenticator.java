package dev.keyward.mfa;

import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jboss.logging.Logger;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.Authenticator;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * The second factor: one of the user's usable local methods ({@link UsableMethods}) other than the
 * one this login has already used. With one candidate it starts it at once; with more, the user
 * picks on {@code keyward-second-factor.ftl} and can come back to pick another. The chosen
 * method's own authenticator does the work, reached through Keycloak's provider registry (no
 * compile dependency on it) with this step's context, so its pages post back here and its
 * success is this step's success.
 *
 * <p>The time between the first factor and this step's end is the MFA session: past its limit
 * (execution setting {@code mfaSessionSeconds}, default 300) the login starts over.
 *
 * <p>Failures the method reports through the flow are logged under this factory's reference
 * category, {@code otp}: Keycloak counts them in the user's primary and second-factor failure
 * counts, so a password typed as the second factor cannot get around the password failure count.
 */
public class SecondFactorAuthenticator implements Authenticator {
    private static final Logger LOG = Logger.getLogger(SecondFactorAuthenticator.class);

    static final String FIELD_CHOOSE = "keyward_2fa_method";
    static final String FIELD_SWITCH = "keyward_2fa_switch";
    static final String TEMPLATE_CHOOSE = "keyward-second-factor.ftl";
    private static final String NOTE_METHOD = ".method";
    private static final String NOTE_STARTED = ".started";

    private final KeycloakSession session;

    /** @param session the request's session */
    public SecondFactorAuthenticator(KeycloakSession session) {
        this.session = session;
    }

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (note(context, NOTE_STARTED) == null) {
            setNote(context, NOTE_STARTED, Long.toString(Time.currentTime()));
        } else if (expired(context)) {
            return;
        }
        List<LocalMethod> candidates = candidates(context);
        if (candidates.isEmpty()) {
            // two-factor is on but no second method is left: fail closed
            LOG.debugf("Realm %s: no second factor left for a user with two-factor sign-in", context.getRealm().getName());
            context.getEvent().error(Errors.INVALID_USER_CREDENTIALS);
            context.failure(AuthenticationFlowError.CREDENTIAL_SETUP_REQUIRED, context.form()
                    .setError(TwoFactorConstants.MSG_NO_SECOND_FACTOR).createErrorPage(Response.Status.FORBIDDEN));
            return;
        }
        Optional<LocalMethod> chosen = chosen(context).filter(candidates::contains);
        if (chosen.isEmpty() && candidates.size() == 1) {
            chosen = Optional.of(candidates.get(0));
        }
        if (chosen.isEmpty()) {
            context.challenge(choosePage(context, candidates));
            return;
        }
        setNote(context, NOTE_METHOD, chosen.get().name());
        delegate(chosen.get()).authenticate(delegateContext(context, chosen.get(), candidates));
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (expired(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<LocalMethod> candidates = candidates(context);
        if (form.containsKey(FIELD_SWITCH)) {
            removeNote(context, NOTE_METHOD);
            context.challenge(choosePage(context, candidates));
            return;
        }
        String picked = form.getFirst(FIELD_CHOOSE);
        if (picked != null) {
            Optional<LocalMethod> method = candidates.stream().filter(m -> m.name().equals(picked)).findFirst();
            if (method.isEmpty()) {
                context.challenge(choosePage(context, candidates));
                return;
            }
            setNote(context, NOTE_METHOD, method.get().name());
            delegate(method.get()).authenticate(delegateContext(context, method.get(), candidates));
            return;
        }
        Optional<LocalMethod> chosen = chosen(context).filter(candidates::contains);
        if (chosen.isEmpty()) {
            authenticate(context);
            return;
        }
        delegate(chosen.get()).action(delegateContext(context, chosen.get(), candidates));
    }

    /** Usable methods minus those this login already used, in the order of {@link LocalMethod}. */
    private List<LocalMethod> candidates(AuthenticationFlowContext context) {
        Set<LocalMethod> used = ProvenMethods.of(context.getRealm(), context.getAuthenticationSession());
        List<LocalMethod> result = new ArrayList<>();
        for (LocalMethod m : UsableMethods.of(session, context.getRealm(), context.getUser())) {
            if (!used.contains(m)) {
                result.add(m);
            }
        }
        return result;
    }

    /** Past the MFA session's limit: back to the first factor. */
    private boolean expired(AuthenticationFlowContext context) {
        String started = note(context, NOTE_STARTED);
        if (started == null) {
            return false;
        }
        long age = Time.currentTime() - Long.parseLong(started);
        if (age <= mfaSessionSeconds(context)) {
            return false;
        }
        context.getEvent().error(Errors.EXPIRED_CODE);
        context.resetFlow(() -> context.setForwardedInfoMessage(TwoFactorConstants.MSG_MFA_SESSION_EXPIRED));
        return true;
    }

    private static long mfaSessionSeconds(AuthenticationFlowContext context) {
        AuthenticatorConfigModel config = context.getAuthenticatorConfig();
        String value = config == null || config.getConfig() == null ? null
                : config.getConfig().get(SecondFactorAuthenticatorFactory.MFA_SESSION_SECONDS);
        try {
            return value == null || value.isBlank() ? SecondFactorAuthenticatorFactory.DEFAULT_MFA_SESSION_SECONDS
                    : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return SecondFactorAuthenticatorFactory.DEFAULT_MFA_SESSION_SECONDS;
        }
    }

    private Response choosePage(AuthenticationFlowContext context, List<LocalMethod> candidates) {
        LoginFormsProvider form = context.form();
        form.setAttribute("keywardSecondFactorMethods", candidates.stream().map(Enum::name).toList());
        return form.createForm(TEMPLATE_CHOOSE);
    }

    private Optional<LocalMethod> chosen(AuthenticationFlowContext context) {
        String name = note(context, NOTE_METHOD);
        try {
            return name == null ? Optional.empty() : Optional.of(LocalMethod.valueOf(name));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private Authenticator delegate(LocalMethod method) {
        Authenticator authenticator = session.getProvider(Authenticator.class, method.authenticatorId());
        if (authenticator == null) {
            throw new IllegalStateException("authenticator " + method.authenticatorId() + " is not installed");
        }
        return authenticator;
    }

    /**
     * The method's context: this step's, with the realm's own step of that method (its config,
     * and its completion, so the token's amr names the method).
     */
    private static AuthenticationFlowContext delegateContext(AuthenticationFlowContext context, LocalMethod method,
            List<LocalMethod> candidates) {
        RealmModel realm = context.getRealm();
        AuthenticationExecutionModel step = UsableMethods.enabledSteps(realm, method.authenticatorId())
                .sorted(Comparator.comparing(e -> e.getAuthenticatorConfig() == null))
                .findFirst().orElse(null);
        AuthenticatorConfigModel config = step == null || step.getAuthenticatorConfig() == null ? null
                : realm.getAuthenticatorConfigById(step.getAuthenticatorConfig());
        return new DelegatingFlowContext(context, step, config, candidates.size() > 1);
    }

    private static String note(AuthenticationFlowContext context, String suffix) {
        return context.getAuthenticationSession().getAuthNote(noteName(context, suffix));
    }

    private static void setNote(AuthenticationFlowContext context, String suffix, String value) {
        context.getAuthenticationSession().setAuthNote(noteName(context, suffix), value);
    }

    private static void removeNote(AuthenticationFlowContext context, String suffix) {
        context.getAuthenticationSession().removeAuthNote(noteName(context, suffix));
    }

    private static String noteName(AuthenticationFlowContext context, String suffix) {
        return "keyward-2fa." + context.getExecution().getId() + suffix;
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Always: a user without a second method is refused in {@link #authenticate}, not skipped. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {
    }

    @Override
    public void close() {
    }
}
