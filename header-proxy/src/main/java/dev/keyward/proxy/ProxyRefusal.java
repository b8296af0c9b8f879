package dev.keyward.proxy;

import dev.keyward.common.RestRefusal;

/**
 * A request the proxy answers itself, in the pack's one error shape ({@link RestRefusal}). Neither
 * code nor text ever holds upstream internals, addresses or secrets.
 */
final class ProxyRefusal extends RestRefusal {
    private static final long serialVersionUID = 1L;

    ProxyRefusal(int status, String error, String description) {
        super(status, error, description);
    }

    static ProxyRefusal tooMany(String error, String description, long retryAfterSeconds) {
        ProxyRefusal refusal = new ProxyRefusal(429, error, description);
        refusal.retryAfter(retryAfterSeconds);
        return refusal;
    }

    static ProxyRefusal methodNotAllowed(String allow) {
        ProxyRefusal refusal = new ProxyRefusal(405, "method_not_allowed", "this provider does not allow that method");
        refusal.allow(allow);
        return refusal;
    }
}
