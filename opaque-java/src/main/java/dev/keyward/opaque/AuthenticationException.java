package dev.keyward.opaque;

/**
 * The peer failed to authenticate: a MAC did not verify (wrong password, unknown user served
 * a fake record, or a tampered message). Deliberately carries no detail about which check
 * failed.
 */
public class AuthenticationException extends OpaqueException {
    private static final long serialVersionUID = 1L;

    /** Creates the exception with its fixed, non-revealing message. */
    public AuthenticationException() {
        super("authentication failed");
    }
}
