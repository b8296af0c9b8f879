package dev.keyward.common;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.UserProvider;

/** A name typed on a sign-in page, and the user it names. */
public final class LoginNames {
    /** Longer names are not looked up: Keycloak's own username limit. */
    public static final int MAX_LENGTH = 255;

    private static final Logger LOG = Logger.getLogger(LoginNames.class);

    private LoginNames() {}

    /** @return the typed name trimmed, or null when it is empty or longer than {@link #MAX_LENGTH} */
    public static String typed(String raw) {
        String name = raw == null ? "" : raw.trim();
        return name.isEmpty() || name.length() > MAX_LENGTH ? null : name;
    }

    /**
     * The user a login name names: by username, or by email when the realm allows email login
     * (Keycloak's {@code findUserByNameOrEmail}), at the same cost whether or not there is one.
     *
     * <p>Keycloak's user cache keeps the users it found, not the names it did not: a name without
     * an account costs a database query every time (two for an address: email, then username),
     * while an account's is answered from memory after its first login. That difference showed in
     * answer times (see docs/performance.md, "Timing parity"). So a name that finds its user also
     * sends the queries its miss would have sent to the local user store, past the cache. Making
     * the misses as cheap instead would need a cache of names without an account, which a new
     * account (on any node) must invalidate; Keycloak's cache does not offer that. A name that an
     * identity or user-federation provider answers costs what that provider costs, on both sides.
     *
     * @return the user, or null for none; a name several users share (possible during a federation
     *     import) is answered like an unknown one
     */
    public static UserModel find(KeycloakSession session, RealmModel realm, String name) {
        boolean address = realm.isLoginWithEmailAllowed() && name.indexOf('@') != -1;
        try {
            if (address) {
                UserModel byEmail = session.users().getUserByEmail(realm, name);
                if (byEmail != null) {
                    missCost(session, realm, name, true);
                    return byEmail;
                }
            }
            UserModel byName = session.users().getUserByUsername(realm, name);
            if (byName != null) {
                missCost(session, realm, name, false);
            }
            return byName;
        } catch (ModelDuplicateException e) {
            LOG.debugf("Duplicate user for a login name in realm %s", realm.getName());
            return null;
        }
    }

    /**
     * The local store's queries of a lookup that missed from {@code byEmail} on: the username's,
     * and before it the email's when the hit came from the email. They ask for a name no row can
     * hold, so, like the miss's, they walk the index and load no row: asking for the name itself
     * would also load and map the user's row, which made hits the slower ones.
     */
    private static void missCost(KeycloakSession session, RealmModel realm, String name, boolean byEmail) {
        // the realm's own user store (Keycloak's userLocalStorage), never the cache in front of it
        UserProvider local = session.getProvider(UserProvider.class);
        if (local == null || local == session.users()) {
            return;
        }
        String unmatchable = unmatchable(name);
        if (byEmail) {
            local.getUserByEmail(realm, unmatchable);
        }
        local.getUserByUsername(realm, unmatchable);
    }

    /**
     * {@code name} lengthened past {@link #MAX_LENGTH}: Keycloak's username and email columns are
     * that long, so no stored user has it.
     */
    static String unmatchable(String name) {
        StringBuilder padded = new StringBuilder(MAX_LENGTH + 1).append(name);
        while (padded.length() <= MAX_LENGTH) {
            padded.append('~');
        }
        return padded.toString();
    }
}
