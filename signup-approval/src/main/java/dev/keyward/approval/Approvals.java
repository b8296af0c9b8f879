package dev.keyward.approval;

import java.util.Optional;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/** Reads a {@link PendingSignup} off a Keycloak account. */
final class Approvals {
    private Approvals() {}

    /**
     * The account's pending sign-up, if it is one. Beyond the attributes, a sign-up is an account a
     * provider's first login has just made, with nothing else on it: an account with a credential,
     * a linked identity or a reason Keycloak disabled it for (a brute-force lockout) is not one,
     * whatever its attributes say. So an account that was in use, and had the attributes written
     * by its user (where the user profile allows it) or left over, cannot be approved into someone
     * else's identity or out of a lockout.
     */
    static Optional<PendingSignup> pending(KeycloakSession session, RealmModel realm, UserModel user) {
        if (user == null) {
            return Optional.empty();
        }
        Optional<PendingSignup> pending = PendingSignup.of(user.isEnabled(), user::getFirstAttribute);
        if (pending.isEmpty()) {
            return pending;
        }
        if (user.getFirstAttribute(UserModel.DISABLED_REASON) != null
                || user.credentialManager()
                        .getStoredCredentialsStream()
                        .findAny()
                        .isPresent()
                || session.users()
                        .getFederatedIdentitiesStream(realm, user)
                        .findAny()
                        .isPresent()) {
            return Optional.empty();
        }
        return pending;
    }
}
