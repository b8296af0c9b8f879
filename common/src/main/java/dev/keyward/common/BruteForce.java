package dev.keyward.common;

import java.util.Set;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.util.AuthenticatorUtils;
import org.keycloak.common.util.Time;
import org.keycloak.events.Errors;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.services.managers.BruteForceProtector;
import org.keycloak.services.managers.DefaultBruteForceProtector;
import org.keycloak.services.messages.Messages;

/**
 * The pack's one door to Keycloak's brute-force protector. Failures that no
 * {@code context.failureChallenge} reports (an OPAQUE guess whose client never sent KE3, a wrong
 * email code) go through here, so a change of the protector's signature in a Keycloak minor is
 * fixed in one place.
 *
 * <p>Nothing is reported while the realm has brute-force protection off, as Keycloak's own
 * authentication processor does: Keycloak's protector would otherwise keep counting, and a realm
 * with permanent lockout set could disable accounts while protection is off.
 */
public final class BruteForce {
    /** The category of a wrong password: locks temporarily, like Keycloak's own form. */
    public static final String PASSWORD = "password";
    /** The category of a wrong second factor: also counts towards the realm's permanent lockout. */
    public static final String OTP = "otp";

    private BruteForce() {}

    /**
     * Reports {@code failures} failed logins of {@code user} in {@code category}; nothing when the
     * realm has brute-force protection off.
     */
    public static void reportFailures(
            AuthenticationFlowContext context, UserModel user, String category, int failures) {
        RealmModel realm = context.getRealm();
        if (!realm.isBruteForceProtected()) {
            return;
        }
        BruteForceProtector protector = context.getProtector();
        if (failures > 1 && protector instanceof DefaultBruteForceProtector keycloaks) {
            // several at once (abandoned OPAQUE guesses): failedLogin would apply them on parallel
            // threads, each in its own transaction, and a run was seen where the last write carried
            // the count but not the lock. Applied one after the other in this request's
            // transaction, count and lock are exact, and the lock is visible to this request.
            for (int i = 0; i < failures; i++) {
                keycloaks.failure(
                        context.getSession(),
                        realm,
                        user.getId(),
                        context.getConnection().getRemoteHost(),
                        Time.currentTimeMillis(),
                        Set.of(category));
            }
            return;
        }
        for (int i = 0; i < failures; i++) {
            protector.failedLogin(realm, user, context.getConnection(), context.getUriInfo(), Set.of(category));
        }
    }

    /** @return the event error of a user the protector has locked (or Keycloak has disabled), else null */
    public static String lockError(AuthenticationFlowContext context, UserModel user) {
        return AuthenticatorUtils.getDisabledByBruteForceEventError(context, user);
    }

    /** @return the message Keycloak's own form shows for a {@link #lockError} */
    public static String lockMessage(String lockError) {
        return Errors.USER_TEMPORARILY_DISABLED.equals(lockError)
                ? Messages.ACCOUNT_TEMPORARILY_DISABLED
                : Messages.ACCOUNT_PERMANENTLY_DISABLED;
    }
}
