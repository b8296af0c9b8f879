package dev.keyward.proxy;

/**
 * A header-proxy option ({@code --spi-realm-restapi-extension--header-proxy--*}) that breaks its
 * rule: thrown from the factory's {@code init}, so Keycloak refuses to start and prints the
 * message. The message names the option (and an entry's position), never its value.
 */
final class InvalidProxyOptionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    InvalidProxyOptionException(String message) {
        super("header-proxy: " + message);
    }
}
