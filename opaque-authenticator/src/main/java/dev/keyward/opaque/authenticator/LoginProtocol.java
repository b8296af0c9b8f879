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

    /** KE2 for the client and the state to keep (secret; single use). */
    record Start(String ke2, String stateNote) {
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
     * @return KE2 and the state note
     */
    Start start(KE1 ke1, RegistrationRecord record, byte[] credentialIdentifier) {
        OpaqueServer.ServerLoginStart start = server.startLogin(record, ke1, credentialIdentifier, Identities.NONE);
        byte[] state = start.state().toBytes();
        try {
            return new Start(Wire.encode(start.ke2().toBytes()), suite.identifier() + ":" + Wire.encode(state));
        } finally {
            Arrays.fill(state, (byte) 0);
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
        if (stateNote == null) {
            return false;
        }
        int colon = stateNote.indexOf(':');
        if (colon < 0 || !suite.identifier().equals(stateNote.substring(0, colon))) {
            // made under another suite configuration (server reconfigured mid-login)
            return false;
        }
        byte[] sessionKey = null;
        try {
            ServerLoginState state = ServerLoginState.fromBytes(
                    suite, Wire.decode(stateNote.substring(colon + 1), 2 * suite.hashLength()));
            // the session key is not used: Keycloak's own session follows a successful login
            sessionKey = server.finishLogin(state, ke3);
            return true;
        } catch (InvalidMessageException | AuthenticationException e) {
            return false;
        } finally {
            if (sessionKey != null) {
                Arrays.fill(sessionKey, (byte) 0);
            }
        }
    }
}
