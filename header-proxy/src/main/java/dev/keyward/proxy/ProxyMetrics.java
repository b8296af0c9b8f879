package dev.keyward.proxy;

import io.micrometer.core.instrument.Metrics;

/**
 * Per-provider counters in Keycloak's Micrometer registry (scraped from {@code /metrics} on the
 * management port when {@code --metrics-enabled=true}; no-ops otherwise). Tags are the realm, the
 * provider (only ids the realm defines, so callers cannot grow the tag set), who answered
 * ({@code upstream} or {@code proxy}) and the status class.
 */
final class ProxyMetrics {
    static final String UNKNOWN_PROVIDER = "-";

    private ProxyMetrics() {}

    static void request(String realm, String provider, String source, int status) {
        Metrics.counter(
                        "keyward.proxy.requests",
                        "realm",
                        realm,
                        "provider",
                        provider,
                        "source",
                        source,
                        "status_class",
                        (status / 100) + "xx")
                .increment();
    }

    /** A stored credential refused because its provider's definition changed since it was stored. */
    static void strandedCredential(String realm, String provider) {
        Metrics.counter("keyward.proxy.stranded.credentials", "realm", realm, "provider", provider)
                .increment();
    }

    static void bytes(String realm, String provider, String direction, long count) {
        if (count > 0) {
            Metrics.counter("keyward.proxy.bytes", "realm", realm, "provider", provider, "direction", direction)
                    .increment(count);
        }
    }
}
