package dev.keyward.proxy;

import java.time.Duration;
import org.keycloak.Config;

/**
 * The proxy's server-wide settings ({@code --spi-realm-restapi-extension--header-proxy--*}); the
 * names, defaults and help text are in {@link HeaderProxyResourceProviderFactory}.
 *
 * @param audience the {@code aud} every access token must carry, added by the {@link #SCOPE} scope's mapper
 * @param requiredRole a role of the audience client the token must also carry (a per-user gate); empty for none
 */
record ProxySettings(
        String audience,
        String requiredRole,
        long maxRequestBody,
        Duration connectTimeout,
        Duration responseTimeout,
        Duration idleTimeout,
        int rateLimit,
        int rateWindowSeconds,
        int maxStreamsPerUser,
        int maxConnections,
        OperatorAllowance allowance) {

    static final String AUDIENCE = "audience";
    static final String REQUIRED_ROLE = "required-role";
    static final String MAX_REQUEST_BODY = "max-request-body";
    static final String CONNECT_TIMEOUT = "connect-timeout";
    static final String RESPONSE_TIMEOUT = "response-timeout";
    static final String IDLE_TIMEOUT = "idle-timeout";
    static final String RATE_LIMIT = "rate-limit";
    static final String RATE_WINDOW = "rate-window";
    static final String MAX_STREAMS_PER_USER = "max-streams-per-user";
    static final String MAX_CONNECTIONS = "max-connections";
    static final String ALLOWED_PRIVATE_RANGES = "allowed-private-ranges";
    static final String ALLOW_METADATA_HEADERS = "allow-metadata-headers";

    /** The client scope a client needs for the proxy; an admin assigns it to the clients that may call. */
    static final String SCOPE = "keyward-proxy";

    static final String DEFAULT_AUDIENCE = "keyward-proxy";
    /** None: the scope decides which clients may call; a role only narrows which users may, where an operator wants that. */
    static final String DEFAULT_ROLE = "";

    static ProxySettings from(Config.Scope config) {
        String audience = config.get(AUDIENCE, DEFAULT_AUDIENCE).trim();
        if (audience.isEmpty()) {
            throw new InvalidProxyOptionException(AUDIENCE + " must name the client id tokens are issued for");
        }
        return new ProxySettings(
                audience,
                config.get(REQUIRED_ROLE, DEFAULT_ROLE).trim(),
                positive(config, MAX_REQUEST_BODY, 1_048_576),
                Duration.ofSeconds(positive(config, CONNECT_TIMEOUT, 5)),
                Duration.ofSeconds(positive(config, RESPONSE_TIMEOUT, 30)),
                Duration.ofSeconds(positive(config, IDLE_TIMEOUT, 30)),
                (int) positive(config, RATE_LIMIT, 600),
                (int) positive(config, RATE_WINDOW, 60),
                (int) positive(config, MAX_STREAMS_PER_USER, 8),
                (int) positive(config, MAX_CONNECTIONS, 200),
                OperatorAllowance.parse(config.get(ALLOWED_PRIVATE_RANGES), flag(config, ALLOW_METADATA_HEADERS)));
    }

    /** Only "true" or "false": a typo must not quietly mean false (or true). */
    private static boolean flag(Config.Scope config, String name) {
        String value = config.get(name, "false").trim();
        if (!value.equals("true") && !value.equals("false")) {
            throw new InvalidProxyOptionException(name + " must be true or false");
        }
        return value.equals("true");
    }

    private static long positive(Config.Scope config, String name, long fallback) {
        Long value = config.getLong(name, fallback);
        if (value == null || value < 1 || value > Integer.MAX_VALUE) {
            throw new InvalidProxyOptionException(name + " must be a whole number from 1 to " + Integer.MAX_VALUE);
        }
        return value;
    }
}
