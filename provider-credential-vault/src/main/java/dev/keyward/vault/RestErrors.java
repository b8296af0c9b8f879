package dev.keyward.vault;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import dev.keyward.common.BoundedBody;
import dev.keyward.common.RestRefusal;
import jakarta.ws.rs.core.Response;
import java.io.InputStream;
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

    /** Reads a JSON request body of at most {@link VaultConstants#MAX_BODY_BYTES} ({@link BoundedBody#json}). */
    static String jsonBody(String contentType, InputStream in) throws RestRefusal {
        return BoundedBody.json(contentType, in, VaultConstants.MAX_BODY_BYTES);
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
