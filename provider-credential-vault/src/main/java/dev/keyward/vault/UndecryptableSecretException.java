package dev.keyward.vault;

/**
 * A stored secret that cannot be opened: its key id is not in the keyring, its bytes are not an
 * envelope, or its tag does not verify for the row it sits in (tampered, or copied from another
 * user, provider or realm). The message says which, and names the row, never the secret.
 */
public final class UndecryptableSecretException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Why a secret could not be opened. */
    public enum Reason {
        /** Not an envelope this version knows (truncated, wrong version byte). */
        MALFORMED,
        /** The envelope's key id is not in the keyring (removed too early, or a foreign row). */
        UNKNOWN_KEY,
        /** The tag does not verify: wrong key, altered bytes, or a row moved to another binding. */
        TAG_MISMATCH
    }

    private final Reason reason;

    UndecryptableSecretException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    /** @return why it failed */
    public Reason reason() {
        return reason;
    }
}
