package dev.keyward.vault;

/**
 * A request body or definition that breaks a rule; the REST layer answers 400 with the message.
 * Public so that a {@link ProviderDefinitionCheck} of another module can refuse a definition too.
 */
public final class InvalidInputException extends Exception {
    private static final long serialVersionUID = 1L;

    public InvalidInputException(String message) {
        super(message);
    }
}
