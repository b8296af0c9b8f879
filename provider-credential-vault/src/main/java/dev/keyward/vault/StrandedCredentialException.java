package dev.keyward.vault;

/**
 * A user's stored credential that its provider's definition no longer fits: the upstream origin or
 * the credential kind/name changed since the user stored it (or it was stored before bindings
 * existed and its provider had no definition at the upgrade). It is not decrypted; the user stores
 * it again. The message names the provider, never the secret.
 */
public final class StrandedCredentialException extends Exception {
    private static final long serialVersionUID = 1L;

    StrandedCredentialException(String message) {
        super(message);
    }
}
