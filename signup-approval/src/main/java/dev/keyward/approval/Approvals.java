package dev.keyward.approval;

import java.util.Optional;
import org.keycloak.models.UserModel;

/** Reads a {@link PendingSignup} off a Keycloak account. */
final class Approvals {
    private Approvals() {}

    static Optional<PendingSignup> pending(UserModel user) {
        return user == null ? Optional.empty() : PendingSignup.of(user.isEnabled(), user::getFirstAttribute);
    }
}
