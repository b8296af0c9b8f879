package dev.keyward.mfa;

import java.util.Set;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * While two-factor sign-in is on, a method the user needs for it cannot be removed: one whose
 * removal would leave fewer than two usable methods. A second credential of the same kind (two
 * passkeys) keeps the method, so removing one of them is fine.
 */
final class MethodRemovalGuard {
    private MethodRemovalGuard() {}

    /** @return whether removing one credential of {@code method} would break the user's two-factor sign-in */
    static boolean needed(KeycloakSession session, RealmModel realm, UserModel user, LocalMethod method) {
        if (user == null
                || realm == null
                || !TwoFactorConstants.ON.equals(user.getFirstAttribute(TwoFactorConstants.ATTRIBUTE))) {
            return false;
        }
        Set<LocalMethod> usable = UsableMethods.of(session, realm, user);
        if (!usable.contains(method)) {
            return false;
        }
        long credentials = user.credentialManager()
                .getStoredCredentialsByTypeStream(method.credentialType())
                .count();
        return credentials <= 1 && usable.size() - 1 < 2;
    }
}
