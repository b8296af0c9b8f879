package dev.keyward.common;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/** A request body read into memory, never more than a limit: a bigger one is refused, not truncated. */
public final class BoundedBody {
    private BoundedBody() {}

    /**
     * Reads a JSON request body: checks the content type, reads at most {@code max} bytes and
     * decodes strict UTF-8.
     *
     * @throws RestRefusal 415 for another content type, 413 for a bigger body, 400 for bad UTF-8 or none
     */
    public static String json(String contentType, InputStream in, long max) throws RestRefusal {
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
        byte[] body = read(in, max, null);
        if (body.length == 0) {
            throw new RestRefusal(
                    Response.Status.BAD_REQUEST, "invalid_request", "the body is empty; send a JSON object");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(body))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new RestRefusal(Response.Status.BAD_REQUEST, "invalid_request", "the body is not UTF-8");
        }
    }

    /**
     * @param in the body, or null for none
     * @param max the most bytes accepted
     * @param declaredLength the request's {@code Content-Length}, or null: over {@code max}, refused
     *     before anything is read
     * @return the body's bytes (empty for none)
     * @throws RestRefusal 413 {@code body_too_large} over {@code max}; 400 {@code invalid_body} when
     *     it cannot be read
     */
    public static byte[] read(InputStream in, long max, String declaredLength) throws RestRefusal {
        if (declaredLength != null && length(declaredLength) > max) {
            throw tooLarge(max);
        }
        if (in == null) {
            return new byte[0];
        }
        byte[] bytes;
        try {
            bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, max + 1));
        } catch (IOException e) {
            throw new RestRefusal(400, "invalid_body", "the request body could not be read");
        }
        if (bytes.length > max) {
            throw tooLarge(max);
        }
        return bytes;
    }

    private static long length(String declared) {
        try {
            return Long.parseLong(declared.trim());
        } catch (NumberFormatException e) {
            return Long.MAX_VALUE;
        }
    }

    private static RestRefusal tooLarge(long max) {
        return new RestRefusal(413, "body_too_large", "the request body is over the limit of " + max + " bytes");
    }
}
