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
import org.keycloak.events.EventType;
import org.keycloak.models.UserModel;
import org.keycloak.sessions.AuthenticationSessionModel;

/**
 * Moves a user's OPAQUE record to the active setup secret inside the login that just proved the
 * password (WIRE.md, "Re-registration under the active setup secret"). A client told so by the
 * KE1 answer's {@code rekey} ({@link RekeyProof}) sends KE3 with a registration request by fetch
 * ({@link #ke3}); KE3 is checked exactly as in {@link Ke3Step} and, if right, answered with the
 * registration response under the active secret. The client then posts the new record with its
 * proof ({@link #record}): stored in place of the old one if the proof and the record are right,
 * and in every case the login then completes as after KE3. So a failed re-registration never
 * costs the user the login: the record stays under its old secret and is offered again next time.
 * What is never done: storing a record without a right proof, or completing a login whose
 * re-registration state is missing, expired or someone else's.
 */
final class RekeyStep {
    /** The authentication-session note between the two steps (single use). */
    static final String NOTE = "keyward.opaque.rekey";

    /** Failures of the KE3 fetch step, as JSON: the legacy step's shapes. */
    private static final Ke3Step.Answers JSON = (context, error, status) -> status == Response.Status.BAD_REQUEST
            ? Wire.invalidRequest()
            : Wire.loginFailed(
                    OpaquePage.text(context, error),
                    context.getActionUrl(context.generateAccessCode()).toString());

    private RekeyStep() {}

    /**
     * Whether a KE1 for {@code user}'s record under {@code recordKeyId} offers a re-registration:
     * only for a record under another secret than the active one, and never to a two-factor user.
     * The new record is written in the first factor's step, before any second factor: a two-factor
     * user's password alone must not replace their record, so theirs stays where it is until they
     * set a new password or the key id is retired.
     */
    static boolean offered(OpaqueKeysProvider keys, UserModel user, String recordKeyId) {
        return recordKeyId != null
                && !keys.activeKeyId().equals(recordKeyId)
                && !(user != null
                        && KeywardIds.TWO_FACTOR_ON.equals(user.getFirstAttribute(KeywardIds.TWO_FACTOR_ATTRIBUTE)));
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
            if (credential != null && !offered(keys, user, credential.keyId())) {
                // KE1 offered no re-registration (the record is under the active secret, or the user
                // has two-factor on): a client that knows the password must not use this step to
                // replace the record with one for another password
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
        } else {
            context.getEvent().detail(OpaqueConstants.DETAIL_REKEY_FAILED, failure);
        }
        Ke3Step.complete(context, formData, user);
    }

    /** @return null when the new record replaced the old one, else why not (an event detail) */
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
        OpaqueCredentialProvider credentials = credentials(context);
        OpaqueCredentialModel current = credentials.find(user);
        if (current == null || !current.getId().equals(note.credentialId())) {
            // changed since KE3 (a password change in another tab): the newer one stays
            return "credential_changed";
        }
        credentials.rekey(
                user,
                current,
                OpaqueCredentialModel.create(protocol.suite(), user.getId(), keys.ksf(), bytes, note.toKeyId()));
        // a stored credential changed: its own event, whatever becomes of the login
        context.getEvent()
                .clone()
                .event(EventType.UPDATE_CREDENTIAL)
                .detail(Details.CREDENTIAL_TYPE, OpaqueConstants.CREDENTIAL_TYPE)
                .detail(OpaqueConstants.DETAIL_REKEYED, note.fromKeyId() + "->" + note.toKeyId())
                .success();
        return null;
    }

    private static OpaqueCredentialProvider credentials(AuthenticationFlowContext context) {
        return (OpaqueCredentialProvider)
                context.getSession().getProvider(CredentialProvider.class, OpaqueConstants.CREDENTIAL_PROVIDER_ID);
    }
}
