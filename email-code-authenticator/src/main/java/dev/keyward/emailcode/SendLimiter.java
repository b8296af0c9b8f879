package dev.keyward.emailcode;

import java.time.Duration;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * The resend cooldown and the hourly cap, per realm and subject, in Keycloak's
 * {@link SingleUseObjectProvider}: cluster-wide, and shared by every tab and login of the same
 * user, so a new tab or a new login does not reset them. The store has no counter, so the cap is
 * N slot keys that each live one hour; a send needs a free one. That is exactly "at most N in any
 * hour" with no window edge to game.
 */
final class SendLimiter {
    /** The answer to "may we send now?". */
    enum Outcome {
        /** Go ahead: a cooldown and an hourly slot are taken. */
        ALLOWED,
        /** The last send was less than the cooldown ago. */
        COOLDOWN,
        /** Every slot of the last hour is used. */
        HOURLY_CAP
    }

    private static final long HOUR_SECONDS = Duration.ofHours(1).toSeconds();

    private final SingleUseObjectProvider store;

    SendLimiter(SingleUseObjectProvider store) {
        this.store = store;
    }

    /**
     * Takes the cooldown first: a refused send must not use up a slot of the hour.
     *
     * @param cooldownSubject whose cooldown (the typed name, when there is one)
     * @param capSubject whose hourly slots (the account, or the typed name that matches none)
     * @return whether a mail may go out now
     */
    Outcome claim(String realmId, CodeSubject cooldownSubject, CodeSubject capSubject, EmailCodeSettings settings) {
        long cooldown = settings.resendCooldown().toSeconds();
        if (cooldown > 0 && !store.putIfAbsent(base(realmId, cooldownSubject) + "cooldown", cooldown)) {
            return Outcome.COOLDOWN;
        }
        String cap = base(realmId, capSubject);
        for (int slot = 0; slot < settings.maxSendsPerHour(); slot++) {
            if (store.putIfAbsent(cap + "sent." + slot, HOUR_SECONDS)) {
                return Outcome.ALLOWED;
            }
        }
        return Outcome.HOURLY_CAP;
    }

    /** After a failed send: the user may try again at once (the hourly slot stays used). */
    void releaseCooldown(String realmId, CodeSubject subject) {
        store.remove(base(realmId, subject) + "cooldown");
    }

    private static String base(String realmId, CodeSubject subject) {
        return "keyward-email-code." + realmId + "." + subject.toNote() + ".";
    }
}
