package dev.keyward.mfa;

import java.util.EnumSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.keycloak.authentication.AuthenticatorUtil;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.Constants;
import org.keycloak.models.RealmModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * The local methods a login has proven: the credential types it recorded
 * ({@code context.success(type)}) and the steps it completed, including the steps of the user
 * session a step-up continues (Keycloak's cookie step merges them into the login). A step-up
 * therefore never asks again for the method the session started with.
 */
public final class ProvenMethods {
    private ProvenMethods() {}

    /**
     * @param realm the realm
     * @param authSession the login
     * @return the methods proven so far (empty for none)
     */
    public static Set<LocalMethod> of(RealmModel realm, AuthenticationSessionModel authSession) {
        return since(realm, authSession, Integer.MIN_VALUE);
    }

    /**
     * @param realm the realm
     * @param authSession the login
     * @param notBefore Keycloak time (seconds): steps completed earlier do not count
     * @return the methods proven since {@code notBefore}, in this login or the session it continues
     */
    public static Set<LocalMethod> since(RealmModel realm, AuthenticationSessionModel authSession, int notBefore) {
        EnumSet<LocalMethod> proven = EnumSet.noneOf(LocalMethod.class);
        for (String type : AuthenticatorUtil.getAuthnCredentials(authSession)) {
            LocalMethod.ofRecordedType(type).ifPresent(proven::add);
        }
        String completed = authSession.getUserSessionNotes().get(Constants.AUTHENTICATORS_COMPLETED);
        for (Map.Entry<String, Integer> step :
                AuthenticatorUtils.parseCompletedExecutions(completed).entrySet()) {
            if (step.getValue() < notBefore) {
                continue;
            }
            AuthenticationExecutionModel execution = realm.getAuthenticationExecutionById(step.getKey());
            Optional.ofNullable(execution)
                    .map(AuthenticationExecutionModel::getAuthenticator)
                    .flatMap(LocalMethod::ofAuthenticator)
                    .ifPresent(proven::add);
        }
        return proven;
    }
}
