package dev.keyward.opaque.authenticator;

import dev.keyward.common.BruteForce;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.common.util.Time;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;

/**
 * One request's view of the open OPAQUE guesses (see {@link OpaqueAuthenticator}): the
 * {@link GuessLedger} of a user or of an unknown name's bucket, and the unknown names'
 * {@link UnknownNameLockout}, each written once when the request ends ({@link #flush}).
 */
final class OpenGuesses {
    /** Unknown-name buckets: at most this many names' slots and lockouts in the store (about 7 entries each). */
    static final int NAME_BUCKETS = 16384;

    private final AuthenticationFlowContext context;
    private final Duration ke3Deadline;
    private final Map<String, UnknownNameLockout> lockouts = new HashMap<>();

    OpenGuesses(AuthenticationFlowContext context, Duration ke3Deadline) {
        this.context = context;
        this.ke3Deadline = ke3Deadline;
    }

    GuessLedger ledger(UserModel user) {
        return ledger(user.getId());
    }

    /** @param owner a user id, or an unknown name's {@link #nameKey} (the two never collide) */
    GuessLedger ledger(String owner) {
        RealmModel realm = context.getRealm();
        return new GuessLedger(
                context.getSession().singleUseObjects(),
                realm.getId(),
                owner,
                ke3Deadline,
                realm.getMaxDeltaTimeSeconds());
    }

    /** This request's lockout of a name key: one instance per key, written once by {@link #flush}. */
    UnknownNameLockout lockout(String nameKey) {
        RealmModel realm = context.getRealm();
        return lockouts.computeIfAbsent(
                nameKey,
                k -> new UnknownNameLockout(
                        context.getSession().singleUseObjects(),
                        realm.getId(),
                        k,
                        UnknownNameLockout.Policy.of(realm)));
    }

    /** Writes every lockout this request changed. */
    void flush() {
        lockouts.values().forEach(UnknownNameLockout::flush);
        lockouts.clear();
    }

    /**
     * Closes the guess an attempt left open (KE2 sent, no KE3): still open, it is a failure, for
     * Keycloak's protector (an account) or the lockout mimic (a name without one).
     */
    void settleAbandoned(LoginAttempt previous) {
        if (previous.guess() == null) {
            return;
        }
        if (previous.userId() != null) {
            UserModel guessed = context.getSession().users().getUserById(context.getRealm(), previous.userId());
            if (guessed != null && ledger(guessed).close(previous.guess())) {
                BruteForce.reportFailures(context, guessed, BruteForce.PASSWORD, 1);
            }
        } else if (previous.unknownName() != null
                && ledger(previous.unknownName()).close(previous.guess())) {
            lockout(previous.unknownName()).failed(Time.currentTimeMillis(), 1);
        }
    }

    /**
     * An unknown name's key in the store: one of {@value #NAME_BUCKETS} buckets, chosen by a hash of
     * its credential identifier (itself keyed by the setup secret, so neither the store nor an
     * attacker can tell which names share one). Bounded, so KE1s for random names cannot fill the
     * cluster store; names that share a bucket share its limits, which for a name without an account
     * changes nothing but when its (always failing) answer is withheld. Never a user id (a UUID).
     */
    static String nameKey(byte[] unknownIdentifier) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(unknownIdentifier);
            int bucket = (((digest[0] & 0xff) << 8) | (digest[1] & 0xff)) % NAME_BUCKETS;
            return "name." + bucket;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from the JDK", e);
        }
    }
}
