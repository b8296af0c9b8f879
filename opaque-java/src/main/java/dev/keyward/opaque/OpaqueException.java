package dev.keyward.opaque;

/**
 * Base of every checked error this library raises. Messages never contain secret material
 * (keys, passwords, MACs or message bytes), so they are safe to log.
 */
public class OpaqueException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param message a short, non-secret description */
    public OpaqueException(String message) {
        super(message);
    }

    /**
     * @param message a short, non-secret description
     * @param cause the underlying error
     */
    public OpaqueException(String message, Throwable cause) {
        super(message, cause);
    }
}
