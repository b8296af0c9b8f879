package dev.keyward.proxy;

/**
 * A request the proxy answers itself, with a small JSON body: {@code error} is a fixed code and
 * {@code description} a short sentence for the caller. Neither ever holds upstream internals,
 * addresses or secrets.
 */
final class ProxyRefusal extends Exception {
    private static final long serialVersionUID = 1L;

    final int status;
    final String error;
    /** Seconds, for 429; 0 otherwise. */
    final long retryAfter;
    /** The methods to list in {@code Allow}, for 405; null otherwise. */
    final String allow;
    /** The {@code WWW-Authenticate} value (RFC 6750), for 401 and {@code insufficient_scope}; null otherwise. */
    final String challenge;

    ProxyRefusal(int status, String error, String description) {
        this(status, error, description, 0, null, null);
    }

    private ProxyRefusal(
            int status, String error, String description, long retryAfter, String allow, String challenge) {
        super(description, null, false, false);
        this.status = status;
        this.error = error;
        this.retryAfter = retryAfter;
        this.allow = allow;
        this.challenge = challenge;
    }

    /** A token the proxy does not accept, with the challenge that says why. */
    static ProxyRefusal bearer(int status, String error, String description, String challenge) {
        return new ProxyRefusal(status, error, description, 0, null, challenge);
    }

    static ProxyRefusal tooMany(String error, String description, long retryAfterSeconds) {
        return new ProxyRefusal(429, error, description, Math.max(1, retryAfterSeconds), null, null);
    }

    static ProxyRefusal methodNotAllowed(String allow) {
        return new ProxyRefusal(405, "method_not_allowed", "this provider does not allow that method", 0, allow, null);
    }
}
