package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.AuthenticationException;
import dev.keyward.opaque.Identities;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.KE1;
import dev.keyward.opaque.KE3;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.ServerLoginState;
import java.util.Arrays;

/**
 * The two server steps of an OPAQUE login over the wire encoding, without Keycloak: the
 * authenticator adds user lookup, session notes, brute force and events around it.
 */
final class LoginProtocol {
    private final OpaqueServer server;
    private final OpaqueSuite suite;

    LoginProtocol(OpaqueServer server) {
        this.server = server;
        this.suite = server.configuration().suite();
    }

    /**
     * KE2 for the client, the state to keep (secret; single use), and the rekey offer: proof for
     * the client that finishes this login that its record is under an older setup secret, or
     * random bytes of the same length ({@link RekeyProof}).
     */
    record Start(String ke2, String stateNote, String rekeyOffer) {
        @Override
        public String toString() {
            return "Start[redacted]";
        }
    }

    /**
     * Parses KE1 strictly. Split from {@link #start} so a malformed KE1 is rejected before the
     * user is looked up or anything is counted.
     */
    KE1 parseKe1(String ke1) throws InvalidMessageException {
        byte[] bytes = Wire.decode(ke1, suite.ke1Length());
        return KE1.fromBytes(suite, bytes);
    }

    /**
     * @param ke1 the parsed KE1
     * @param record the user's record, or null (unknown user, no OPAQUE credential, locked):
     *     the answer is then a fake KE2 of the same shape
     * @param credentialIdentifier the user id, or the unknown-user identifier
     * @param offerRekey whether the client that finishes this login should re-register under
     *     the active setup secret
     * @return KE2, the state note and the rekey offer
     */
    Start start(KE1 ke1, RegistrationRecord record, byte[] credentialIdentifier, boolean offerRekey) {
        OpaqueServer.ServerLoginStart start = server.startLogin(record, ke1, credentialIdentifier, Identities.NONE);
        byte[] state = start.state().toBytes();
        byte[] sessionKey = start.state().copySessionKey();
        try {
            String offer = Wire.encode(offerRekey ? RekeyProof.offer(sessionKey) : RekeyProof.noOffer());
            return new Start(Wire.encode(start.ke2().toBytes()), suite.identifier() + ":" + Wire.encode(state), offer);
        } finally {
            Arrays.fill(state, (byte) 0);
            Arrays.fill(sessionKey, (byte) 0);
            start.state().destroy();
        }
    }

    /**
     * Parses KE3 strictly.
     *
     * @throws InvalidMessageException if malformed
     */
    KE3 parseKe3(String ke3) throws InvalidMessageException {
        return KE3.fromBytes(suite, Wire.decode(ke3, suite.ke3Length()));
    }

    /**
     * Checks KE3 against the kept state.
     *
     * @param stateNote the note {@link #start} returned (already removed from the session)
     * @param ke3 the parsed KE3
     * @return true if the client proved knowledge of the password
     */
    boolean finish(String stateNote, KE3 ke3) {
        byte[] sessionKey = finishWithKey(stateNote, ke3);
        if (sessionKey == null) {
            return false;
        }
        // the session key is not used: Keycloak's own session follows a successful login
        Arrays.fill(sessionKey, (byte) 0);
        return true;
    }

    /**
     * Checks KE3 against the kept state.
     *
     * @param stateNote the note {@link #start} returned (already removed from the session)
     * @param ke3 the parsed KE3
     * @return the session key shared with the client (secret; wipe it after use), or null if the
     *     client did not prove knowledge of the password
     */
    byte[] finishWithKey(String stateNote, KE3 ke3) {
        if (stateNote == null) {
            return null;
        }
        int colon = stateNote.indexOf(':');
        if (colon < 0 || !suite.identifier().equals(stateNote.substring(0, colon))) {
            // made under another suite configuration (server reconfigured mid-login)
            return null;
        }
        try {
            ServerLoginState state = ServerLoginState.fromBytes(
                    suite, Wire.decode(stateNote.substring(colon + 1), 2 * suite.hashLength()));
            // KE3's check needs no server key: any setup secret's server finishes any login
            return server.finishLogin(state, ke3);
        } catch (InvalidMessageException | AuthenticationException e) {
            return null;
        }
    }
}
