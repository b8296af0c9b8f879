package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.Argon2idKsf;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import java.util.List;
import java.util.Set;
import org.keycloak.models.RealmModel;
import org.keycloak.provider.Provider;

/** A realm's OPAQUE server and the parameters its clients must use. */
public interface OpaqueKeysProvider extends Provider {

    /** @return the suite every realm of this server uses */
    OpaqueSuite suite();

    /** @return the key stretching parameters new registrations and login pages tell the browser */
    Argon2idKsf ksf();

    /**
     * @param realm the realm
     * @return the realm's OPAQUE server under the active setup secret (thread-safe, stateless
     *     between calls): what new registrations, unknown names and withheld answers use
     */
    OpaqueServer server(RealmModel realm);

    /** @return the id of the setup secret new registrations use */
    default String activeKeyId() {
        return SetupKeyring.FIRST_ID;
    }

    /** @return the ids of the configured setup secrets, in configuration order */
    default Set<String> keyIds() {
        return Set.of(activeKeyId());
    }

    /**
     * Whether a record may move from one setup secret to another: only forward in the keyring's
     * order (the order of {@code setup-secrets}), so that a node still running an older active id
     * during a rolling restart never moves records back to it.
     *
     * @param fromKeyId the id a record is under
     * @param toKeyId the id it would move to
     * @return true when both ids are in the ring and {@code toKeyId} comes after {@code fromKeyId}
     */
    default boolean movesForward(String fromKeyId, String toKeyId) {
        List<String> order = List.copyOf(keyIds());
        int from = order.indexOf(fromKeyId);
        return from >= 0 && order.indexOf(toKeyId) > from;
    }

    /**
     * @param realm the realm
     * @param keyId a setup-secret id, as a credential records it
     * @return the realm's OPAQUE server under that secret, or null when the keyring no longer holds it
     */
    default OpaqueServer server(RealmModel realm, String keyId) {
        return activeKeyId().equals(keyId) ? server(realm) : null;
    }

    /**
     * @param realm the realm
     * @param username the name that matched no user
     * @return a stable credential identifier for it (see {@link SetupDerivation})
     */
    byte[] unknownUserIdentifier(RealmModel realm, String username);

    /**
     * @param realm the realm
     * @param userId a user whose KE1 must not be evaluated under their OPRF key (locked, or over
     *     the open-guess limit)
     * @return a stable credential identifier unrelated to the user's key (see {@link SetupDerivation})
     */
    byte[] withheldUserIdentifier(RealmModel realm, String userId);

    /**
     * With legacy migration on, a name that matches no user must get the answer a real account
     * could get: the legacy-password step or a (fake) KE2. This is that choice, stable per name.
     *
     * @param realm the realm
     * @param username the name that matched no user
     * @return true: answer as for a user with only a legacy password
     */
    boolean unknownUserLegacyCoin(RealmModel realm, String username);

    @Override
    default void close() {}
}
