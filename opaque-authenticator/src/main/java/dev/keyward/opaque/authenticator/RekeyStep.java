package dev.keyward.opaque.authenticator;

import dev.keyward.common.KeywardIds;
import dev.keyward.opaque.InvalidMessageException;
import dev.keyward.opaque.RegistrationRecord;
import dev.keyward.opaque.RegistrationRequest;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import org.keycloak.authentication.AuthenticationFlowContext;
import org.keycloak.authentication.authenticators.browser.AbstractUsernameFormAuthenticator;
import org.keycloak.common.util.Time;
import org.keycloak.credential.CredentialProvider;
import org.keycloak.events.Details;
import org.keycloak.events.Errors;
import org.keycloak.events.EventBuilder;
import org.keycloak.events.EventType;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Moves a user's OPAQUE record to the active setup secret inside the login that just proved the
 * password (WIRE.md, "Re-registration under the active setup secret"). A client told so by the
 * KE1 answer's {@code rekey} ({@link RekeyProof}) sends KE3 with a registration request by fetch
 * ({@link #ke3}); KE3 is checked exactly as in {@link Ke3Step} and, if right, answered with the
 * registration response under the active secret. The client then posts the new record with its
 * proof ({@link #record}): stored in place of the old one if the proof and the record are right
 * (for a two-factor user only once the whole login succeeded: {@link PendingRekey}), and in every
 * case the login then completes as after KE3. So a failed re-registration never
 * costs the user the login: the record stays under its old secret and is offered again next time.
 * What is never done: storing a record without a right proof, or completing a login whose
 * re-registration state is missing, expired or someone else's.
 */
final class RekeyStep {
    /** The authentication-session note between the two steps (single use). */
    static final String NOTE = "keyward.opaque.rekey";

    /** {@link #store}'s answer when a two-factor user's record waits for the rest of the login. */
    private static final String DEFERRED = "deferred";

    /** Failures of the KE3 fetch step, as JSON: the legacy step's shapes. */
    private static final Ke3Step.Answers JSON = (context, error, status) -> status == Response.Status.BAD_REQUEST
            ? Wire.invalidRequest()
            : Wire.loginFailed(
                    OpaquePage.text(context, error),
                    context.getActionUrl(context.generateAccessCode()).toString());

    private RekeyStep() {}

    /**
     * Whether a KE1 for a record under {@code recordKeyId} offers a re-registration: only toward
     * an active secret that comes later in the keyring's order ({@link OpaqueKeysProvider#movesForward}),
     * never back to an older one (a node not yet restarted with the new active id). Two-factor
     * users are offered it too: theirs is committed only when the whole login succeeded
     * ({@link PendingRekey}).
     */
    static boolean offered(OpaqueKeysProvider keys, String recordKeyId) {
        return recordKeyId != null && keys.movesForward(recordKeyId, keys.activeKeyId());
    }

    /** {@code opaque_step=ke3-rekey}: KE3 as always, then the registration response under the active secret. */
    static void ke3(
            AuthenticationFlowContext context,
            MultivaluedMap<String, String> formData,
            OpenGuesses guesses,
            Duration deadline) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        authSession.removeAuthNote(NOTE);
        Ke3Step.Verified verified = Ke3Step.verify(context, formData, guesses, JSON);
        if (verified == null) {
            return;
        }
        byte[] rekeyKey = RekeyProof.key(verified.sessionKey());
        Arrays.fill(verified.sessionKey(), (byte) 0);
        try {
            UserModel user = verified.user();
            OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
            RegistrationProtocol active = new RegistrationProtocol(keys.server(context.getRealm()));
            OpaqueCredentialModel credential = credentials(context).find(user);
            RegistrationRequest request;
            try {
                request = active.parseRequest(formData.getFirst(OpaqueConstants.FIELD_REQUEST));
            } catch (InvalidMessageException e) {
                credential = null;
                request = null;
            }
            if (credential != null && !offered(keys, credential.keyId())) {
                // KE1 offered no re-registration (the record is under the active secret or a later
                // one): a client that knows the password must not use this step to replace the
                // record with one for another password
                credential = null;
            }
            if (credential == null) {
                // a malformed request, a step KE1 did not offer, or a credential deleted since KE1:
                // the proven login is dropped
                context.getEvent().error(Errors.INVALID_REQUEST);
                context.challenge(Wire.invalidRequest());
                return;
            }
            String response = active.respond(request, user.getId().getBytes(StandardCharsets.UTF_8));
            new RekeyNote(
                            user.getId(),
                            credential.getId(),
                            credential.keyId(),
                            keys.activeKeyId(),
                            Wire.encode(rekeyKey),
                            Time.currentTimeMillis() + deadline.toMillis())
                    .save(authSession);
            String action = context.getActionUrl(context.generateAccessCode()).toString();
            context.challenge(Wire.ok(OpaqueConstants.JSON_RESPONSE, response, OpaqueConstants.JSON_ACTION, action));
        } finally {
            Arrays.fill(rekeyKey, (byte) 0);
        }
    }

    /**
     * {@code opaque_step=rekey-record} (the record and its proof) or {@code rekey-skip} (the client
     * could not finish the registration): right after a {@link #ke3} in this session and before
     * its deadline, the login completes; the record is stored only with a right proof.
     */
    static void record(AuthenticationFlowContext context, MultivaluedMap<String, String> formData) {
        AuthenticationSessionModel authSession = context.getAuthenticationSession();
        RekeyNote note = RekeyNote.parse(authSession.getAuthNote(NOTE));
        authSession.removeAuthNote(NOTE);
        boolean preset = OpaquePage.isUserPreset(context);
        UserModel user = note == null || note.deadline() < Time.currentTimeMillis()
                ? null
                : context.getSession().users().getUserById(context.getRealm(), note.userId());
        if (user != null && preset && !user.getId().equals(context.getUser().getId())) {
            user = null;
        }
        if (user == null || !user.isEnabled()) {
            // no proven login to continue: nothing stored, nothing completed
            context.getEvent().error(Errors.INVALID_REQUEST);
            context.challenge(
                    OpaquePage.withError(context, OpaqueConstants.MSG_INVALID_REQUEST, Response.Status.BAD_REQUEST));
            return;
        }
        context.getEvent()
                .user(user)
                .detail(
                        Details.USERNAME,
                        preset
                                ? user.getUsername()
                                : authSession.getAuthNote(AbstractUsernameFormAuthenticator.ATTEMPTED_USERNAME))
                .detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE);
        String failure = OpaqueConstants.STEP_REKEY_SKIP.equals(formData.getFirst(OpaqueConstants.FIELD_STEP))
                ? "skipped"
                : store(context, formData, note, user);
        if (failure == null) {
            context.getEvent().detail(OpaqueConstants.DETAIL_REKEYED, note.fromKeyId() + "->" + note.toKeyId());
        } else if (!DEFERRED.equals(failure)) {
            context.getEvent().detail(OpaqueConstants.DETAIL_REKEY_FAILED, failure);
        }
        // DEFERRED: nothing moved yet; the login's LOGIN event, if it comes, commits it (RekeyCommitListener)
        Ke3Step.complete(context, formData, user);
    }

    /**
     * @return null when the new record replaced the old one, {@link #DEFERRED} when it waits for
     *     the rest of a two-factor login, else why not (an event detail)
     */
    private static String store(
            AuthenticationFlowContext context,
            MultivaluedMap<String, String> formData,
            RekeyNote note,
            UserModel user) {
        OpaqueKeysProvider keys = context.getSession().getProvider(OpaqueKeysProvider.class);
        if (keys.server(context.getRealm(), note.toKeyId()) == null) {
            // this node's ring lacks the secret the registration response came from (a rolling restart)
            return "key_unavailable";
        }
        RegistrationProtocol protocol = new RegistrationProtocol(keys.server(context.getRealm()));
        RegistrationRecord record;
        byte[] proof;
        byte[] rekeyKey;
        try {
            record = protocol.parseRecord(formData.getFirst(OpaqueConstants.FIELD_RECORD));
            proof = Wire.decode(formData.getFirst(OpaqueConstants.FIELD_REKEY_PROOF), RekeyProof.LENGTH);
            rekeyKey = Wire.decode(note.rekeyKey(), RekeyProof.LENGTH);
        } catch (InvalidMessageException e) {
            return "malformed";
        }
        byte[] bytes = record.toBytes();
        try {
            if (!RekeyProof.verify(rekeyKey, bytes, proof)) {
                return "bad_proof";
            }
        } finally {
            Arrays.fill(rekeyKey, (byte) 0);
        }
        if (KeywardIds.TWO_FACTOR_ON.equals(user.getFirstAttribute(KeywardIds.TWO_FACTOR_ATTRIBUTE))) {
            // the password alone must not replace a two-factor user's record: it reaches the user
            // session only if the login ends in one, after the second factor and every required action
            new PendingRekey(
                            user.getId(),
                            note.credentialId(),
                            note.fromKeyId(),
                            note.toKeyId(),
                            Wire.encode(bytes),
                            Time.currentTimeMillis()
                                    + Duration.ofSeconds(context.getRealm().getAccessCodeLifespanLogin())
                                            .toMillis())
                    .save(context.getAuthenticationSession());
            return DEFERRED;
        }
        return commit(
                context.getSession(),
                context.getRealm(),
                user,
                note.credentialId(),
                note.fromKeyId(),
                note.toKeyId(),
                bytes,
                context.getEvent().clone());
    }

    /**
     * Replaces {@code user}'s OPAQUE record with a verified one under {@code toKeyId}, if it is
     * still the credential the login verified, this node's ring holds the target secret and the
     * move goes forward in the ring's order; sends UPDATE_CREDENTIAL with the rekeyed detail.
     *
     * @param event a builder for the UPDATE_CREDENTIAL event (realm, client, connection set)
     * @return null when stored, else why not (an event detail)
     */
    static String commit(
            KeycloakSession session,
            RealmModel realm,
            UserModel user,
            String credentialId,
            String fromKeyId,
            String toKeyId,
            byte[] record,
            EventBuilder event) {
        OpaqueKeysProvider keys = session.getProvider(OpaqueKeysProvider.class);
        if (keys.server(realm, toKeyId) == null) {
            return "key_unavailable";
        }
        OpaqueCredentialProvider credentials = credentials(session);
        OpaqueCredentialModel current = credentials.find(user);
        if (current == null || !current.getId().equals(credentialId)) {
            // changed since KE3 (a password change in another tab): the newer one stays
            return "credential_changed";
        }
        if (!keys.movesForward(current.keyId(), toKeyId)) {
            // a node whose active id is older than the record's: never move a record back
            return "key_order";
        }
        credentials.rekey(
                user, current, OpaqueCredentialModel.create(keys.suite(), user.getId(), keys.ksf(), record, toKeyId));
        // a stored credential changed: its own event, whatever becomes of the login
        event.event(EventType.UPDATE_CREDENTIAL)
                .user(user)
                .detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE)
                .detail(OpaqueConstants.DETAIL_REKEYED, fromKeyId + "->" + toKeyId)
                .success();
        return null;
    }

    private static OpaqueCredentialProvider credentials(AuthenticationFlowContext context) {
        return credentials(context.getSession());
    }

    private static OpaqueCredentialProvider credentials(KeycloakSession session) {
        return (OpaqueCredentialProvider)
                session.getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
    }
}
