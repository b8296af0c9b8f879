package dev.keyward.opaque.authenticator;

import dev.keyward.opaque.InvalidMessageException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.keycloak.util.JsonSerialization;

/**
 * The HTTP side of the protocol: strict base64url for OPAQUE messages and the JSON answers of
 * the fetch steps. Every answer is {@code Cache-Control: no-store}: it carries one-time action
 * URLs and protocol messages that no cache may replay.
 */
final class Wire {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

    private Wire() {}

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes base64url without padding, as @serenity-kit/opaque sends it, and nothing else:
     * wrong length, padding, the standard alphabet, whitespace and non-canonical trailing bits
     * are all rejected before any parsing of the bytes.
     *
     * @param value the field value (may be null)
     * @param expectedBytes the exact decoded length the suite requires
     * @return the bytes
     * @throws InvalidMessageException on any deviation
     */
    static byte[] decode(String value, int expectedBytes) throws InvalidMessageException {
        if (value == null || value.length() != encodedLength(expectedBytes)) {
            throw new InvalidMessageException("wrong encoded length");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            boolean ok =
                    (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' || c == '_';
            if (!ok) {
                throw new InvalidMessageException("not base64url");
            }
        }
        byte[] bytes = Base64.getUrlDecoder().decode(value);
        if (!encode(bytes).equals(value)) {
            Arrays.fill(bytes, (byte) 0);
            throw new InvalidMessageException("non-canonical base64url");
        }
        return bytes;
    }

    static int encodedLength(int bytes) {
        return 4 * (bytes / 3) + (bytes % 3 == 0 ? 0 : bytes % 3 + 1);
    }

    /** 200 answer of a fetch step. */
    static Response ok(String key1, String value1, String key2, String value2) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(key1, value1);
        body.put(key2, value2);
        return json(Response.Status.OK, body);
    }

    /** 200 {@code {"ke2":"..","action":"..","rekey":".."}}: the KE1 answer ({@link RekeyProof} for {@code rekey}). */
    static Response ke2(String ke2, String action, String rekeyOffer) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(OpaqueConstants.JSON_KE2, ke2);
        body.put(OpaqueConstants.JSON_ACTION, action);
        body.put(OpaqueConstants.JSON_REKEY, rekeyOffer);
        return json(Response.Status.OK, body);
    }

    /** 200 {@code {"legacy":true,"action":".."}}: send the legacy Keycloak password once (legacy migration). */
    static Response legacy(String action) {
        return json(Response.Status.OK, legacyBody(action));
    }

    static Map<String, Object> legacyBody(String action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(OpaqueConstants.JSON_LEGACY, Boolean.TRUE);
        body.put(OpaqueConstants.JSON_ACTION, action);
        return body;
    }

    /**
     * 400 {@code {"error":"invalid_grant","message":"..","action":".."}}: the legacy password step
     * failed (wrong password, unknown name, locked or disabled account). One error code for all of
     * them; {@code message} is the realm's localized text, the very one the login page would show,
     * and {@code action} the fresh URL for the next attempt.
     */
    static Response loginFailed(String message, String action) {
        return json(Response.Status.BAD_REQUEST, loginFailedBody(message, action));
    }

    static Map<String, Object> loginFailedBody(String message, String action) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put(OpaqueConstants.JSON_ERROR, OpaqueConstants.ERROR_INVALID_GRANT);
        body.put(OpaqueConstants.JSON_MESSAGE, message);
        body.put(OpaqueConstants.JSON_ACTION, action);
        return body;
    }

    /** 400 {@code {"error":"invalid_request"}}; says nothing about what was wrong. */
    static Response invalidRequest() {
        return json(
                Response.Status.BAD_REQUEST, Map.of(OpaqueConstants.JSON_ERROR, OpaqueConstants.ERROR_INVALID_REQUEST));
    }

    static Response json(Response.Status status, Map<String, ?> body) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE.withCharset("utf-8"))
                .header("Cache-Control", "no-store")
                .header("Pragma", "no-cache")
                .entity(toJson(body))
                .build();
    }

    static String toJson(Map<String, ?> body) {
        try {
            // a String entity: Keycloak's browser-history helper passes non-HTML strings through untouched
            return JsonSerialization.writeValueAsString(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
