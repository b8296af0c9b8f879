package dev.keyward.opaque;

/**
 * A message, point, scalar or serialized state could not be parsed: wrong length, a
 * non-canonical encoding, the identity or an invalid group element, or an unknown suite.
 * Callers at a network edge should answer it as a client error (HTTP 400).
 */
public class InvalidMessageException extends OpaqueException {
    private static final long serialVersionUID = 1L;

    /** @param message a short, non-secret description of what was wrong */
    public InvalidMessageException(String message) {
        super(message);
    }
}
