package dev.keyward.mfa;

import dev.keyward.common.ExecutionNotes;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.Authenticator;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AcrStore;
import org.keycloak.common.util.Time;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * A step that proves some of the user's usable local methods ({@link UsableMethods}) by running
 * each method's own authenticator, reached through Keycloak's provider registry (no compile
 * dependency on it) with this step's context, so its pages post back here and its failures count
 * under this step's reference category. With one candidate it starts it at once; with more, the
 * user picks on {@code keyward-second-factor.ftl} and can come back to pick another.
 *
 * <p>Subclasses say when the step applies, which methods count as proven before it starts, which
 * it may ask for, and when enough is proven: the browser's second factor, the reset flow's passkey
 * and the first-broker-login link's full two-factor sign-in are the same machine with other rules.
 *
 * <p>The time from the step's start to its end is bounded (execution setting
 * {@code mfaSessionSeconds}, default 300): past it the flow starts over.
 */
abstract class MethodStepAuthenticator implements Authenticator {
    static final String FIELD_CHOOSE = "keyward_2fa_method";
    static final String FIELD_SWITCH = "keyward_2fa_switch";
    static final String TEMPLATE_CHOOSE = "keyward-second-factor.ftl";
    private static final String NOTE_METHOD = ".method";
    private static final String NOTE_STARTED = ".started";
    private static final String NOTE_PROVEN = ".proven";

    protected final KeycloakSession session;

    protected MethodStepAuthenticator(KeycloakSession session) {
        this.session = session;
    }

    /** @return whether this step asks anything of this login's user; if not, it succeeds at once */
    protected abstract boolean applies(AuthenticationFlowContext context);

    /** @return methods that count as proven before this step asks for anything */
    protected abstract Set<LocalMethod> provenBefore(AuthenticationFlowContext context);

    /** @return the methods, among the user's usable ones, that this step may ask for */
    protected Set<LocalMethod> eligible(AuthenticationFlowContext context, Set<LocalMethod> usable) {
        return usable;
    }

    /**
     * @param before what {@link #provenBefore} said
     * @param here the methods proven by this step so far
     * @param usable the user's usable methods
     * @return whether the step is done
     */
    protected abstract boolean enough(Set<LocalMethod> before, Set<LocalMethod> here, Set<LocalMethod> usable);

    /** Nothing left to ask and not enough proven: fail closed, with a page that says what to do. */
    protected abstract void refuse(AuthenticationFlowContext context);

    /** Called once when enough is proven, just before the step succeeds. */
    protected void reached(AuthenticationFlowContext context) {}

    @Override
    public void authenticate(AuthenticationFlowContext context) {
        if (!applies(context)) {
            context.success();
            return;
        }
        if (notes(context).get(NOTE_STARTED) == null) {
            notes(context).set(NOTE_STARTED, Long.toString(Time.currentTime()));
        } else if (expired(context)) {
            return;
        }
        next(context);
    }

    @Override
    public void action(AuthenticationFlowContext context) {
        if (!applies(context)) {
            context.success();
            return;
        }
        if (expired(context)) {
            return;
        }
        MultivaluedMap<String, String> form = context.getHttpRequest().getDecodedFormParameters();
        List<LocalMethod> candidates = candidates(context);
        if (form.containsKey(FIELD_SWITCH)) {
            notes(context).remove(NOTE_METHOD);
            context.challenge(choosePage(context, candidates));
            return;
        }
        String picked = form.getFirst(FIELD_CHOOSE);
        if (picked != null) {
            Optional<LocalMethod> method =
                    candidates.stream().filter(m -> m.name().equals(picked)).findFirst();
            if (method.isEmpty()) {
                context.challenge(choosePage(context, candidates));
                return;
            }
            run(context, method.get(), candidates);
            return;
        }
        Optional<LocalMethod> chosen = chosen(context).filter(candidates::contains);
        if (chosen.isEmpty()) {
            next(context);
            return;
        }
        delegate(chosen.get()).action(delegateContext(context, chosen.get(), candidates));
    }

    /** Done, or the next method: the chosen one, the only one, or a choice. */
    private void next(AuthenticationFlowContext context) {
        Set<LocalMethod> usable = UsableMethods.of(session, context.getRealm(), context.getUser());
        if (enough(provenBefore(context), provenHere(context), usable)) {
            finish(context, null);
            return;
        }
        List<LocalMethod> candidates = candidates(context);
        if (candidates.isEmpty()) {
            refuse(context);
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
        run(context, chosen.get(), candidates);
    }

    private void run(AuthenticationFlowContext context, LocalMethod method, List<LocalMethod> candidates) {
        notes(context).set(NOTE_METHOD, method.name());
        delegate(method).authenticate(delegateContext(context, method, candidates));
    }

    /** The method's success: record it, then end the step or go on to the next method. */
    private void methodSucceeded(AuthenticationFlowContext context, LocalMethod method, String credentialType) {
        Set<LocalMethod> here = provenHere(context);
        here.add(method);
        notes(context)
                .set(NOTE_PROVEN, String.join(",", here.stream().map(Enum::name).toList()));
        notes(context).remove(NOTE_METHOD);
        Set<LocalMethod> usable = UsableMethods.of(session, context.getRealm(), context.getUser());
        if (enough(provenBefore(context), here, usable)) {
            finish(context, credentialType);
            return;
        }
        if (credentialType != null) {
            AuthenticatorUtil.addAuthCredential(context.getAuthenticationSession(), credentialType);
        }
        next(context);
    }

    private void finish(AuthenticationFlowContext context, String credentialType) {
        reached(context);
        if (credentialType == null) {
            context.success();
        } else {
            context.success(credentialType);
        }
    }

    /** Eligible usable methods not proven yet, in the order of {@link LocalMethod}. */
    private List<LocalMethod> candidates(AuthenticationFlowContext context) {
        Set<LocalMethod> done = EnumSet.noneOf(LocalMethod.class);
        done.addAll(provenBefore(context));
        done.addAll(provenHere(context));
        List<LocalMethod> result = new ArrayList<>();
        for (LocalMethod m : eligible(context, UsableMethods.of(session, context.getRealm(), context.getUser()))) {
            if (!done.contains(m)) {
                result.add(m);
            }
        }
        result.sort(Comparator.naturalOrder());
        return result;
    }

    /** The methods this step has proven in this login. */
    private static Set<LocalMethod> provenHere(AuthenticationFlowContext context) {
        Set<LocalMethod> here = EnumSet.noneOf(LocalMethod.class);
        String proven = notes(context).get(NOTE_PROVEN);
        if (proven != null) {
            for (String name : proven.split(",")) {
                parse(name).ifPresent(here::add);
            }
        }
        return here;
    }

    /** Past the step's time limit: back to the flow's start. */
    private boolean expired(AuthenticationFlowContext context) {
        String started = notes(context).get(NOTE_STARTED);
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
        String value = config == null || config.getConfig() == null
                ? null
                : config.getConfig().get(SecondFactorAuthenticatorFactory.MFA_SESSION_SECONDS);
        try {
            return value == null || value.isBlank()
                    ? SecondFactorAuthenticatorFactory.DEFAULT_MFA_SESSION_SECONDS
                    : Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return SecondFactorAuthenticatorFactory.DEFAULT_MFA_SESSION_SECONDS;
        }
    }

    private Response choosePage(AuthenticationFlowContext context, List<LocalMethod> candidates) {
        LoginFormsProvider form = context.form();
        form.setAttribute(
                "keywardSecondFactorMethods",
                candidates.stream().map(Enum::name).toList());
        return form.createForm(TEMPLATE_CHOOSE);
    }

    private static Optional<LocalMethod> chosen(AuthenticationFlowContext context) {
        String name = notes(context).get(NOTE_METHOD);
        return name == null ? Optional.empty() : parse(name);
    }

    private static Optional<LocalMethod> parse(String name) {
        try {
            return Optional.of(LocalMethod.valueOf(name));
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
    private AuthenticationFlowContext delegateContext(
            AuthenticationFlowContext context, LocalMethod method, List<LocalMethod> candidates) {
        RealmModel realm = context.getRealm();
        AuthenticationExecutionModel step = method.stepIds().stream()
                .flatMap(id -> UsableMethods.enabledSteps(realm, id))
                .sorted(Comparator.comparing(e -> e.getAuthenticatorConfig() == null))
                .findFirst()
                .orElse(null);
        AuthenticatorConfigModel config = step == null || step.getAuthenticatorConfig() == null
                ? null
                : realm.getAuthenticatorConfigById(step.getAuthenticatorConfig());
        return DelegatingFlowContext.wrap(
                context, step, config, candidates.size() > 1, type -> methodSucceeded(context, method, type));
    }

    /** Whether the user has switched two-factor sign-in on. */
    static boolean twoFactorOn(UserModel user) {
        return user != null && TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE));
    }

    /**
     * Records the login as two-factor: for this request's tokens and for later step-up checks,
     * and as proven for this user ({@link TwoFactorProof}).
     */
    static void recordTwoFactorLevel(AuthenticationFlowContext context) {
        AcrStore acr = new AcrStore(context.getSession(), context.getAuthenticationSession());
        acr.setLevelAuthenticated(TwoFactorConstants.TWO_FACTOR_LOA);
        acr.setLevelAuthenticatedToCurrentRequest(TwoFactorConstants.TWO_FACTOR_LOA);
        TwoFactorProof.record(context.getAuthenticationSession(), context.getUser());
    }

    /**
     * A refusal: an event with the reason and an error page; the flow stops here and nothing
     * changes. Not a flow failure: Keycloak would count that against the user's brute-force
     * (second-factor) limits, and a reload of the page would count again.
     */
    static void refuseWith(AuthenticationFlowContext context, String reason, String message) {
        context.getEvent().detail(Details.REASON, reason).error(Errors.NOT_ALLOWED);
        context.forceChallenge(context.form().setError(message).createErrorPage(Response.Status.FORBIDDEN));
    }

    /**
     * Per step and per user: when a second identity-provider login changes the session's user
     * mid-step, nothing the first user chose or proved here counts for the second.
     */
    private static ExecutionNotes notes(AuthenticationFlowContext context) {
        return ExecutionNotes.of(context, "keyward-2fa.")
                .scoped(context.getUser().getId());
    }

    @Override
    public boolean requiresUser() {
        return true;
    }

    /** Always: a user without the methods it needs is refused in {@link #authenticate}, not skipped. */
    @Override
    public boolean configuredFor(KeycloakSession session, RealmModel realm, UserModel user) {
        return true;
    }

    @Override
    public void setRequiredActions(KeycloakSession session, RealmModel realm, UserModel user) {}

    @Override
    public void close() {}
}
