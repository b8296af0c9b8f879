package dev.keyward.vault;

/** A request body or definition that breaks a rule; the REST layer answers 400 with the message. */
public final class InvalidInputException extends Exception {
    private static final long serialVersionUID = 1L;

    InvalidInputException(String message) {
        super(message);
    }
}
