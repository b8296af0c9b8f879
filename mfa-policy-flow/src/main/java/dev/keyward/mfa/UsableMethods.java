package dev.keyward.mfa;

import dev.keyward.common.KeywardIds;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;
import org.keycloak.models.AuthenticationExecutionModel;
import org.keycloak.models.AuthenticationFlowModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * Which local methods a user can really sign in with now, in this realm. A credential alone is
 * not enough: the realm must also offer the method, or a user could "have" two methods and still
 * be locked out of one of them.
 * <ul>
 *   <li>Password: the user has an OPAQUE record.</li>
 *   <li>Passkey: the user has a passwordless WebAuthn credential, and the realm signs in with
 *       passkeys (its passwordless policy enables them, or a flow has an enabled
 *       {@code webauthn-authenticator-passwordless} or {@code keyward-passkey} step).</li>
 *   <li>Email code: the user's account is enabled with a verified address, the realm has an SMTP
 *       server, and a flow has an enabled {@code keyward-email-code} step.</li>
 * </ul>
 * Reads credential types only, so this module needs none of the authenticator modules.
 */
public final class UsableMethods {
    static final String EMAIL_CODE_STEP = KeywardIds.EMAIL_CODE_AUTHENTICATOR;

    private UsableMethods() {}

    /**
     * @param session the request's session
     * @param realm the realm
     * @param user the user
     * @return the methods the user can use now (empty for none)
     */
    public static Set<LocalMethod> of(KeycloakSession session, RealmModel realm, UserModel user) {
        EnumSet<LocalMethod> usable = EnumSet.noneOf(LocalMethod.class);
        if (hasStored(user, LocalMethod.PASSWORD)) {
            usable.add(LocalMethod.PASSWORD);
        }
        if (hasStored(user, LocalMethod.PASSKEY) && offersPasskeys(realm)) {
            usable.add(LocalMethod.PASSKEY);
        }
        if (user.credentialManager().isConfiguredFor(LocalMethod.EMAIL_CODE.credentialType())
                && offersEmailCodes(realm)) {
            usable.add(LocalMethod.EMAIL_CODE);
        }
        return usable;
    }

    /** @return whether the realm signs in with passkeys (policy or an enabled passwordless step) */
    static boolean offersPasskeys(RealmModel realm) {
        return Boolean.TRUE.equals(realm.getWebAuthnPolicyPasswordless().isPasskeysEnabled())
                || LocalMethod.PASSKEY.stepIds().stream().anyMatch(step -> offers(realm, step));
    }

    /** @return whether the realm can send sign-in codes (SMTP and an enabled email-code step) */
    static boolean offersEmailCodes(RealmModel realm) {
        return hasSmtp(realm) && offers(realm, EMAIL_CODE_STEP);
    }

    private static boolean hasStored(UserModel user, LocalMethod method) {
        return user.credentialManager()
                .getStoredCredentialsByTypeStream(method.credentialType())
                .findAny()
                .isPresent();
    }

    private static boolean hasSmtp(RealmModel realm) {
        Map<String, String> smtp = realm.getSmtpConfig();
        return smtp != null && smtp.get("host") != null && !smtp.get("host").isBlank();
    }

    /** Whether some flow runs an enabled step of {@code providerId}. */
    static boolean offers(RealmModel realm, String providerId) {
        return enabledSteps(realm, providerId).findAny().isPresent();
    }

    /** The realm's enabled steps of {@code providerId}, in no disabled subflow. */
    static Stream<AuthenticationExecutionModel> enabledSteps(RealmModel realm, String providerId) {
        return realm.getAuthenticationFlowsStream()
                .filter(flow -> !effectivelyDisabled(realm, flow))
                .flatMap(flow -> realm.getAuthenticationExecutionsStream(flow.getId()))
                .filter(e -> providerId.equals(e.getAuthenticator())
                        && e.getRequirement() != AuthenticationExecutionModel.Requirement.DISABLED);
    }

    private static boolean effectivelyDisabled(RealmModel realm, AuthenticationFlowModel flow) {
        AuthenticationFlowModel current = flow;
        while (current != null && !current.isTopLevel()) {
            AuthenticationExecutionModel holder = realm.getAuthenticationExecutionByFlowId(current.getId());
            if (holder == null) {
                return false;
            }
            if (holder.getRequirement() == AuthenticationExecutionModel.Requirement.DISABLED) {
                return true;
            }
            current = holder.getParentFlow() == null ? null : realm.getAuthenticationFlowById(holder.getParentFlow());
        }
        return false;
    }

    /** @return whether {@code methods} is enough for two-factor sign-in */
    public static boolean enoughForTwoFactor(Set<LocalMethod> methods) {
        return Objects.requireNonNull(methods).size() >= 2;
    }
}
