package dev.keyward.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.keyward.common.BoundedBody;
import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The vault endpoints' request handling: a call that may refuse ({@link RestRefusal}, the pack's one
 * error shape), the JSON body (bounded, strict UTF-8) and what is wrong with it, said without
 * quoting it.
 */
final class RestErrors {

    private RestErrors() {}

    /**
     * Two writes to one row at once (two first PUTs, or a PUT racing a rotation batch): the loser's
     * transaction can only roll back; the caller may simply send it again.
     */
    static RestRefusal concurrentWrite(org.keycloak.models.KeycloakSession session) {
        session.getTransactionManager().setRollbackOnly();
        return new RestRefusal(
                Response.Status.CONFLICT,
                "concurrent_write",
                "another write to this entry happened at the same time; send the request again");
    }

    /** A body-handling step that may refuse the request. */
    interface Call {
        Response run() throws RestRefusal;
    }

    /** Runs a call and turns a refusal into its response. */
    static Response handle(Call call) {
        try {
            return call.run();
        } catch (RestRefusal r) {
            return r.toResponse();
        }
    }

    /**
     * Reads a JSON request body: checks the content type, reads at most {@link VaultConstants#MAX_BODY_BYTES}
     * and decodes strict UTF-8.
     *
     * @throws RestRefusal 415 for another content type, 413 for a bigger body, 400 for bad UTF-8 or none
     */
    static String jsonBody(String contentType, InputStream in) throws RestRefusal {
        MediaType type;
        try {
            type = contentType == null ? null : MediaType.valueOf(contentType);
        } catch (IllegalArgumentException e) {
            type = null;
        }
        if (type == null
                || !type.isCompatible(MediaType.APPLICATION_JSON_TYPE)
                || type.isWildcardType()
                || type.isWildcardSubtype()) {
            throw new RestRefusal(
                    Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as Content-Type: application/json");
        }
        byte[] body = BoundedBody.read(in, VaultConstants.MAX_BODY_BYTES, null);
        if (body.length == 0) {
            throw new RestRefusal(
                    Response.Status.BAD_REQUEST, "invalid_request", "the body is empty; send a JSON object");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_request", "the body is not UTF-8");
        }
    }

    /** Says what is wrong with a JSON body without quoting it (it may hold a secret). */
    static String describe(JsonProcessingException e) {
        if (e instanceof UnrecognizedPropertyException u) {
            return "unknown field '" + safe(u.getPropertyName()) + "'";
        }
        if (e instanceof ValueInstantiationException || e instanceof InvalidFormatException) {
            String msg = e.getCause() instanceof IllegalArgumentException iae ? iae.getMessage() : null;
            return msg != null ? msg : "invalid value for '" + field((MismatchedInputException) e) + "'";
        }
        if (e instanceof MismatchedInputException m) {
            String field = field(m);
            return field.isEmpty() ? "body must be a JSON object" : "wrong type for '" + field + "'";
        }
        return "body is not valid JSON";
    }

    private static String field(MismatchedInputException m) {
        return m.getPath().stream()
                .map(r -> r.getFieldName() != null ? safe(r.getFieldName()) : "[" + r.getIndex() + "]")
                .collect(Collectors.joining("."));
    }

    private static String safe(String name) {
        return name == null ? "" : name.replaceAll("[^A-Za-z0-9_.-]", "?");
    }
}
