package dev.keyward.apitoken;

/** A user already holds the realm's maximum number of API tokens. */
public class TooManyTokensException extends Exception {
    private static final long serialVersionUID = 1L;

    /** @param max the realm's maximum */
    public TooManyTokensException(int max) {
        super("at most " + max + " API tokens per user; revoke one first");
    }
}
