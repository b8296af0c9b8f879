package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.OpaqueServer;
import dev.keyward.opaque.OpaqueSuite;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationRequest;

/** The server steps of an OPAQUE registration over the wire encoding, without Keycloak. */
final class RegistrationProtocol {
    /**
     * Authentication-session note: the setup-secret id the registration response was made under,
     * so the record is stored under it even if another node with another active id takes the
     * record (a rolling restart during a key change).
     */
    static final String KEY_NOTE = "keyward.opaque.registration-key";

    private final OpaqueServer server;
    private final OpaqueSuite suite;

    RegistrationProtocol(OpaqueServer server) {
        this.server = server;
        this.suite = server.configuration().suite();
    }

    /**
     * @param request the client's registration request, base64url
     * @param credentialIdentifier the user id
     * @return the registration response, base64url
     * @throws InvalidMessageException if the request is malformed
     */
    String respond(String request, byte[] credentialIdentifier) throws InvalidMessageException {
        return respond(parseRequest(request), credentialIdentifier);
    }

    /**
     * Parses a registration request strictly, so a malformed one is refused before anything else
     * (a password check, brute-force accounting) happens.
     *
     * @throws InvalidMessageException if the request is malformed
     */
    RegistrationRequest parseRequest(String request) throws InvalidMessageException {
        return RegistrationRequest.fromBytes(suite, Wire.decode(request, suite.registrationRequestLength()));
    }

    /** @return the registration response to an already parsed request, base64url */
    String respond(RegistrationRequest request, byte[] credentialIdentifier) {
        return Wire.encode(
                server.createRegistrationResponse(request, credentialIdentifier).toBytes());
    }

    /**
     * @param record the uploaded record, base64url
     * @return the parsed record (its bytes are what gets stored)
     * @throws InvalidMessageException if the record is malformed (wrong length, invalid key)
     */
    RegistrationRecord parseRecord(String record) throws InvalidMessageException {
        return RegistrationRecord.fromBytes(suite, Wire.decode(record, suite.registrationRecordLength()));
    }

    /**
     * @return the setup-secret id the session's registration response was made under (and forgets
     *     it), else the active one
     */
    static String takeKeyId(org.keycloak.sessions.AuthenticationSessionModel authSession, OpaqueKeysProvider keys) {
        String id = authSession.getAuthNote(KEY_NOTE);
        authSession.removeAuthNote(KEY_NOTE);
        return id == null ? keys.activeKeyId() : id;
    }

    OpaqueSuite suite() {
        return suite;
    }
}
