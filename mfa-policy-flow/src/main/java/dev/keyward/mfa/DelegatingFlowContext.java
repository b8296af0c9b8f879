package dev.keyward.mfa;

import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.function.Consumer;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.AuthenticationFlowError;
import org.keycloak.authentication.AuthenticationSelectionOption;
import org.keycloak.authentication.FlowStatus;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.ClientConnection;
import org.keycloak.events.EventBuilder;
import org.keycloak.forms.login.LoginFormsProvider;
import org.keycloak.http.HttpRequest;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.AuthenticatorConfigModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserSessionModel;
import org.keycloak.models.utils.FormMessage;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The flow's context, handed to the method the second-factor step runs on the user's behalf,
 * with that method's own settings: its authenticator config is the one of the realm's enabled
 * step of the same provider (so an email code as second factor uses the realm's email-code
 * settings), and its forms say whether there is another method to switch to. Everything else is
 * the real context: form actions, notes, success and failure all belong to the second-factor
 * step's execution.
 */
final class DelegatingFlowContext implements AuthenticationFlowContext {
    /** Form attribute: the method's page may offer "Use another method" (keyward_2fa_switch). */
    static final String SWITCH_ATTRIBUTE = "keywardSecondFactorSwitch";

    private final AuthenticationFlowContext real;
    private final AuthenticationExecutionModel methodStep;
    private final AuthenticatorConfigModel config;
    private final boolean switchable;
    private final Consumer<String> onSuccess;

    /**
     * @param onSuccess what the method's success does, given the credential type it recorded (or
     *     null): the step decides whether that ends it or another method follows
     */
    DelegatingFlowContext(
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
     * Records the realm's own step of the method as completed too: Keycloak's amr mapper reads
     * completed steps, and this step's own reference value ({@code mfa}) cannot name the method.
     */
    private void recordMethodStep() {
        if (methodStep != null) {
            AuthenticatorUtils.updateCompletedExecutions(real.getAuthenticationSession(), null, methodStep.getId());
        }
    }

    /** The real form, telling the method's page whether the user has another method to switch to. */
    @Override
    public LoginFormsProvider form() {
        return real.form().setAttribute(SWITCH_ATTRIBUTE, switchable);
    }

    @Override
    public AuthenticatorConfigModel getAuthenticatorConfig() {
        return config;
    }

    @Override
    public UserModel getUser() {
        return real.getUser();
    }

    @Override
    public void setUser(UserModel a0) {
        real.setUser(a0);
    }

    @Override
    public List<AuthenticationSelectionOption> getAuthenticationSelections() {
        return real.getAuthenticationSelections();
    }

    @Override
    public void setAuthenticationSelections(List<AuthenticationSelectionOption> a0) {
        real.setAuthenticationSelections(a0);
    }

    @Override
    public void clearUser() {
        real.clearUser();
    }

    @Override
    public void attachUserSession(UserSessionModel a0) {
        real.attachUserSession(a0);
    }

    @Override
    public AuthenticationSessionModel getAuthenticationSession() {
        return real.getAuthenticationSession();
    }

    @Override
    public String getFlowPath() {
        return real.getFlowPath();
    }

    @Override
    public URI getActionUrl(String a0) {
        return real.getActionUrl(a0);
    }

    @Override
    public URI getActionTokenUrl(String a0) {
        return real.getActionTokenUrl(a0);
    }

    @Override
    public URI getRefreshExecutionUrl() {
        return real.getRefreshExecutionUrl();
    }

    @Override
    public URI getRefreshUrl(boolean a0) {
        return real.getRefreshUrl(a0);
    }

    @Override
    public void cancelLogin() {
        real.cancelLogin();
    }

    @Override
    public void resetFlow() {
        real.resetFlow();
    }

    @Override
    public void resetFlow(Runnable a0) {
        real.resetFlow(a0);
    }

    @Override
    public void fork() {
        real.fork();
    }

    @Override
    public void forkWithSuccessMessage(FormMessage a0) {
        real.forkWithSuccessMessage(a0);
    }

    @Override
    public void forkWithErrorMessage(FormMessage a0) {
        real.forkWithErrorMessage(a0);
    }

    @Override
    public EventBuilder getEvent() {
        return real.getEvent();
    }

    @Override
    public EventBuilder newEvent() {
        return real.newEvent();
    }

    @Override
    public AuthenticationExecutionModel getExecution() {
        return real.getExecution();
    }

    @Override
    public AuthenticationFlowModel getTopLevelFlow() {
        return real.getTopLevelFlow();
    }

    @Override
    public RealmModel getRealm() {
        return real.getRealm();
    }

    @Override
    public ClientConnection getConnection() {
        return real.getConnection();
    }

    @Override
    public UriInfo getUriInfo() {
        return real.getUriInfo();
    }

    @Override
    public KeycloakSession getSession() {
        return real.getSession();
    }

    @Override
    public HttpRequest getHttpRequest() {
        return real.getHttpRequest();
    }

    @Override
    public BruteForceProtector getProtector() {
        return real.getProtector();
    }

    @Override
    public FormMessage getForwardedErrorMessage() {
        return real.getForwardedErrorMessage();
    }

    @Override
    public FormMessage getForwardedSuccessMessage() {
        return real.getForwardedSuccessMessage();
    }

    @Override
    public FormMessage getForwardedInfoMessage() {
        return real.getForwardedInfoMessage();
    }

    @Override
    public void setForwardedInfoMessage(String a0, Object... a1) {
        real.setForwardedInfoMessage(a0, a1);
    }

    @Override
    public String generateAccessCode() {
        return real.generateAccessCode();
    }

    @Override
    public AuthenticationExecutionModel.Requirement getCategoryRequirementFromCurrentFlow(String a0) {
        return real.getCategoryRequirementFromCurrentFlow(a0);
    }

    @Override
    public void success() {
        recordMethodStep();
        onSuccess.accept(null);
    }

    @Override
    public void success(String a0) {
        recordMethodStep();
        onSuccess.accept(a0);
    }

    @Override
    public void failure(AuthenticationFlowError a0) {
        real.failure(a0);
    }

    @Override
    public void failure(AuthenticationFlowError a0, Response a1) {
        real.failure(a0, a1);
    }

    @Override
    public void failure(AuthenticationFlowError a0, Response a1, String a2, String a3) {
        real.failure(a0, a1, a2, a3);
    }

    @Override
    public void challenge(Response a0) {
        real.challenge(a0);
    }

    @Override
    public void forceChallenge(Response a0) {
        real.forceChallenge(a0);
    }

    @Override
    public void failureChallenge(AuthenticationFlowError a0, Response a1) {
        real.failureChallenge(a0, a1);
    }

    @Override
    public void attempted() {
        real.attempted();
    }

    @Override
    public FlowStatus getStatus() {
        return real.getStatus();
    }

    @Override
    public AuthenticationFlowError getError() {
        return real.getError();
    }

    @Override
    public String getEventDetails() {
        return real.getEventDetails();
    }

    @Override
    public String getUserErrorMessage() {
        return real.getUserErrorMessage();
    }
}
