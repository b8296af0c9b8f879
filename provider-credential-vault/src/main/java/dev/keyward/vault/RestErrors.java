package dev.keyward.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * The endpoints' 4xx answers: JSON {@code {"error": code, "error_description": text}}, the shape
 * Keycloak's own REST errors have, with a short message and nothing from the server's internals or
 * the request's secret.
 */
final class RestErrors {

    private RestErrors() {}

    /** A request the endpoint refuses; carries the response. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;
        private final transient Response response;

        Refused(Response.Status status, String error, String description) {
            this(status, error, description, Map.of());
        }

        /** @param details more fields of the body, e.g. a count the caller needs to decide */
        Refused(Response.Status status, String error, String description, Map<String, ?> details) {
            super(error, null, false, false);
            this.response = error(status, error, description, details);
        }

        Response response() {
            return response;
        }
    }

    /**
     * Two writes to one row at once (two first PUTs, or a PUT racing a rotation batch): the loser's
     * transaction can only roll back; the caller may simply send it again.
     */
    static Refused concurrentWrite(org.keycloak.models.KeycloakSession session) {
        session.getTransactionManager().setRollbackOnly();
        return new Refused(
                Response.Status.CONFLICT,
                "concurrent_write",
                "another write to this entry happened at the same time; send the request again");
    }

    static Response error(Response.Status status, String error, String description) {
        return error(status, error, description, Map.of());
    }

    static Response error(Response.Status status, String error, String description, Map<String, ?> details) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", description);
        body.putAll(details);
        Response.ResponseBuilder r =
                Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body);
        if (status == Response.Status.UNAUTHORIZED) {
            r.header("WWW-Authenticate", "Bearer");
        }
        return r.build();
    }

    /** A body-handling step that may refuse the request. */
    interface Call {
        Response run() throws Refused;
    }

    /** Runs a call and turns a refusal into its response. */
    static Response handle(Call call) {
        try {
            return call.run();
        } catch (Refused r) {
            return r.response();
        }
    }

    /**
     * Reads a JSON request body: checks the content type, reads at most {@link VaultConstants#MAX_BODY_BYTES}
     * and decodes strict UTF-8.
     *
     * @throws Refused 415 for another content type, 413 for a bigger body, 400 for bad UTF-8 or none
     */
    static String jsonBody(String contentType, InputStream in) throws Refused {
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
            throw new Refused(
                    Response.Status.UNSUPPORTED_MEDIA_TYPE,
                    "unsupported_media_type",
                    "send the body as Content-Type: application/json");
        }
        byte[] body;
        try {
            body = in == null ? new byte[0] : in.readNBytes(VaultConstants.MAX_BODY_BYTES + 1);
        } catch (IOException e) {
            throw new Refused(Response.Status.BAD_REQUEST, "invalid_request", "the body could not be read");
        }
        if (body.length > VaultConstants.MAX_BODY_BYTES) {
            throw new Refused(
                    Response.Status.REQUEST_ENTITY_TOO_LARGE,
                    "body_too_large",
                    "the body is larger than " + VaultConstants.MAX_BODY_BYTES + " bytes");
        }
        if (body.length == 0) {
            throw new Refused(Response.Status.BAD_REQUEST, "invalid_request", "the body is empty; send a JSON object");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new Refused(Response.Status.BAD_REQUEST, "invalid_request", "the body is not UTF-8");
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
