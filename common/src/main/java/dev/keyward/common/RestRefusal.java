package dev.keyward.common;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A request one of the pack's REST endpoints refuses, and its answer: JSON
 * {@code {"error": code, "error_description": text, ...}}, the shape of Keycloak's own REST errors
 * and of RFC 6750, never cached. The code is fixed, the text a short sentence; neither ever holds
 * the server's internals, upstream addresses or the request's secrets. A bearer refusal carries
 * its RFC 6750 {@code WWW-Authenticate} challenge ({@link ScopedBearer#challenge}).
 */
public class RestRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String error;
    private final Map<String, Object> details = new LinkedHashMap<>();
    private String challenge;
    private long retryAfterSeconds;
    private String allow;

    /**
     * @param status the HTTP status, 4xx (or 5xx for a stored value the server cannot use)
     * @param error a fixed code, e.g. {@code invalid_token}
     * @param description a short sentence for the caller
     */
    public RestRefusal(int status, String error, String description) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
    }

    public RestRefusal(Response.Status status, String error, String description) {
        this(status.getStatusCode(), error, description);
    }

    /** Adds the RFC 6750 challenge sent as {@code WWW-Authenticate}. */
    public RestRefusal challenge(String value) {
        this.challenge = value;
        return this;
    }

    /** Adds {@code Retry-After}, in seconds (at least 1). */
    public RestRefusal retryAfter(long seconds) {
        this.retryAfterSeconds = Math.max(1, seconds);
        return this;
    }

    /** Adds {@code Allow}: the methods that would do, for 405. */
    public RestRefusal allow(String methods) {
        this.allow = methods;
        return this;
    }

    /** Adds fields to the body, e.g. a count the caller needs to decide what to do. */
    public RestRefusal details(Map<String, ?> more) {
        details.putAll(more);
        return this;
    }

    public int status() {
        return status;
    }

    public String error() {
        return error;
    }

    /** @return the challenge, or null */
    public String challenge() {
        return challenge;
    }

    /** @return the JSON body: {@code error}, {@code error_description} and any details */
    public Map<String, Object> body() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", error);
        body.put("error_description", getMessage());
        body.putAll(details);
        return body;
    }

    /** @return the headers the answer carries besides its content type */
    public Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Cache-Control", "no-store");
        if (challenge != null) {
            headers.put("WWW-Authenticate", challenge);
        }
        if (retryAfterSeconds > 0) {
            headers.put("Retry-After", Long.toString(retryAfterSeconds));
        }
        if (allow != null) {
            headers.put("Allow", allow);
        }
        return headers;
    }

    /** @return the answer to send */
    public Response toResponse() {
        Response.ResponseBuilder response =
                Response.status(status).type(MediaType.APPLICATION_JSON_TYPE).entity(body());
        headers().forEach(response::header);
        return response.build();
    }

    /** @return the answer of a refusal that needs nothing but its status, code and text */
    public static Response response(Response.Status status, String error, String description) {
        return new RestRefusal(status, error, description).toResponse();
    }
}
