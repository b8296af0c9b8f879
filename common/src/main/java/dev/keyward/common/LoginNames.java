package dev.keyward.common;

import org.jboss.logging.Logger;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.ModelDuplicateException;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.models.utils.KeycloakModelUtils;

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
     * The user a login name names: by username, or by email when the realm allows email login.
     *
     * @return the user, or null for none; a name several users share (possible during a federation
     *     import) is answered like an unknown one
     */
    public static UserModel find(KeycloakSession session, RealmModel realm, String name) {
        try {
            return KeycloakModelUtils.findUserByNameOrEmail(session, realm, name);
        } catch (ModelDuplicateException e) {
            LOG.debugf("Duplicate user for a login name in realm %s", realm.getName());
            return null;
        }
    }
}
