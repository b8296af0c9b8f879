package dev.keyward.mfa;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Consumer;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticatorConfigModel;

/**
 * The flow's context, handed to the method the second-factor step runs on the user's behalf,
 * with that method's own settings: its authenticator config is the one of the realm's enabled
 * step of the same provider (so an email code as second factor uses the realm's email-code
 * settings), and its forms say whether there is another method to switch to. Everything else is
 * the real context: form actions, notes, success and failure all belong to the second-factor
 * step's execution.
 *
 * <p>A dynamic proxy rather than a class implementing the whole interface: only the four methods
 * that differ are written here, and a method a Keycloak minor adds to {@link AuthenticationFlowContext}
 * reaches the real context as it is, instead of breaking the build or, worse, a default that
 * silently does nothing.
 */
final class DelegatingFlowContext implements InvocationHandler {
    /** Form attribute: the method's page may offer "Use another method" (keyward_2fa_switch). */
    static final String SWITCH_ATTRIBUTE = "keywardSecondFactorSwitch";

    private final AuthenticationFlowContext real;
    private final AuthenticationExecutionModel methodStep;
    private final AuthenticatorConfigModel config;
    private final boolean switchable;
    private final Consumer<String> onSuccess;

    private DelegatingFlowContext(
            AuthenticationFlowContext real,
            AuthenticationExecutionModel methodStep,
            AuthenticatorConfigModel config,
            boolean switchable,
            Consumer<String> onSuccess) {
        this.real = real;
        this.methodStep = methodStep;
        this.config = config;
        this.switchable = switchable;
        this.onSuccess = onSuccess;
    }

    /**
     * @param methodStep the realm's own step of the method, recorded as completed with it; or null
     * @param config the method's settings (that step's config), or null
     * @param switchable whether the user has another method to switch to
     * @param onSuccess what the method's success does, given the credential type it recorded (or
     *     null): the step decides whether that ends it or another method follows
     */
    static AuthenticationFlowContext wrap(
            AuthenticationFlowContext real,
            AuthenticationExecutionModel methodStep,
            AuthenticatorConfigModel config,
            boolean switchable,
            Consumer<String> onSuccess) {
        return (AuthenticationFlowContext) Proxy.newProxyInstance(
                DelegatingFlowContext.class.getClassLoader(),
                new Class<?>[] {AuthenticationFlowContext.class},
                new DelegatingFlowContext(real, methodStep, config, switchable, onSuccess));
    }

    @Override
    public Object invoke(Object proxy, Method method, Object[] args) throws Throwable {
        int arity = args == null ? 0 : args.length;
        switch (method.getName()) {
            case "form" -> {
                if (arity == 0) {
                    // the real form, telling the method's page whether there is another method to switch to
                    return real.form().setAttribute(SWITCH_ATTRIBUTE, switchable);
                }
            }
            case "getAuthenticatorConfig" -> {
                if (arity == 0) {
                    return config;
                }
            }
            case "success" -> {
                if (arity <= 1) {
                    recordMethodStep();
                    onSuccess.accept(arity == 0 ? null : (String) args[0]);
                    return null;
                }
            }
            case "equals" -> {
                return proxy == args[0];
            }
            case "hashCode" -> {
                return System.identityHashCode(proxy);
            }
            default -> {
                // everything else is the real context's: form actions, notes, failures, challenges
            }
        }
        if (method.getName().startsWith("success") || method.getName().equals("form")) {
            // an overload a later Keycloak adds would end the real step without the method's own
            // handling: refuse it until this class decides what it means
            throw new UnsupportedOperationException("second-factor method called " + method);
        }
        try {
            return method.invoke(real, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /**
     * Records the realm's own step of the method as completed too: Keycloak's amr mapper reads
     * completed steps, and this step's own reference value ({@code mfa}) cannot name the method.
     */
    private void recordMethodStep() {
        if (methodStep != null) {
            AuthenticatorUtils.updateCompletedExecutions(real.getAuthenticationSession(), null, methodStep.getId());
        }
    }
}
