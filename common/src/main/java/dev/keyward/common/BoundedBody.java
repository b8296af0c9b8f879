package dev.keyward.common;

import java.io.IOException;
import java.io.InputStream;

/** A request body read into memory, never more than a limit: a bigger one is refused, not truncated. */
public final class BoundedBody {
    private BoundedBody() {}

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
