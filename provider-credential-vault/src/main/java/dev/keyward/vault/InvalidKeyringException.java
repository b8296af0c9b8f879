package dev.keyward.vault;

/**
 * A vault keyring that breaks a start-up rule. The message names the rule and the key id, never a
 * key's value or any part of it: Keycloak prints start-up failures to its console and log.
 */
public final class InvalidKeyringException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidKeyringException(String message) {
        super(message);
    }
}
