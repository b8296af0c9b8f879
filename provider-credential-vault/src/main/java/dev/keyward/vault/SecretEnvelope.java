package dev.keyward.vault;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * The stored form of a secret, version 1:
 * <pre>
 *   0x01 | len(keyId) | keyId (ASCII) | nonce (12 bytes) | AES-256-GCM ciphertext | tag (16 bytes)
 * </pre>
 * The key id travels in clear so any node with the keyring can pick the key, and rotation can
 * tell old rows from new ones; it is also bound into the associated data
 * ({@link SecretBinding#associatedData}), so editing it does not let a row open under another key.
 * The nonce is 96 random bits per write: with one key, NIST SP 800-38D's bound of 2^32 random-nonce
 * encryptions is far above any vault's write count, and rotation starts the count afresh.
 */
public final class SecretEnvelope {
    /** The format this code writes. */
    public static final int VERSION = 1;

    static final int NONCE_BYTES = 12;
    static final int TAG_BITS = 128;

    private final VaultKeyring keyring;
    private final SecureRandom random;

    /**
     * @param keyring the keys
     * @param random the nonce source
     */
    public SecretEnvelope(VaultKeyring keyring, SecureRandom random) {
        this.keyring = keyring;
        this.random = random;
    }

    /** @return the keyring this envelope uses */
    public VaultKeyring keyring() {
        return keyring;
    }

    /**
     * Encrypts under the active key.
     *
     * @param binding the row the ciphertext is for
     * @param plaintext the secret
     * @return the envelope bytes
     */
    public byte[] seal(SecretBinding binding, byte[] plaintext) {
        String keyId = keyring.activeId();
        byte[] id = keyId.getBytes(StandardCharsets.US_ASCII);
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        int header = 2 + id.length + NONCE_BYTES;
        byte[] out = new byte[header + plaintext.length + TAG_BITS / 8];
        out[0] = VERSION;
        out[1] = (byte) id.length;
        System.arraycopy(id, 0, out, 2, id.length);
        System.arraycopy(nonce, 0, out, 2 + id.length, NONCE_BYTES);
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(Cipher.ENCRYPT_MODE, keyring.activeKey(), new GCMParameterSpec(TAG_BITS, nonce));
            gcm.updateAAD(binding.associatedData(VERSION, keyId));
            gcm.doFinal(plaintext, 0, plaintext.length, out, header);
        } catch (GeneralSecurityException e) {
            // AES-GCM is mandatory in every JRE: this is a broken runtime, not bad input
            throw new IllegalStateException(
                    "AES-GCM unavailable: " + e.getClass().getSimpleName());
        }
        return out;
    }

    /**
     * @param envelope stored bytes
     * @return the key id in the envelope's header
     * @throws UndecryptableSecretException if the bytes are not a version-1 envelope
     */
    public static String keyId(byte[] envelope) throws UndecryptableSecretException {
        if (envelope == null || envelope.length < 2 || envelope[0] != VERSION) {
            throw new UndecryptableSecretException(
                    UndecryptableSecretException.Reason.MALFORMED, "not a version " + VERSION + " envelope");
        }
        int idLength = envelope[1] & 0xff;
        if (idLength == 0 || envelope.length < 2 + idLength + NONCE_BYTES + TAG_BITS / 8) {
            throw new UndecryptableSecretException(UndecryptableSecretException.Reason.MALFORMED, "truncated envelope");
        }
        String id = new String(envelope, 2, idLength, StandardCharsets.US_ASCII);
        if (!VaultKeyring.KEY_ID.matcher(id).matches()) {
            throw new UndecryptableSecretException(
                    UndecryptableSecretException.Reason.MALFORMED, "envelope holds an invalid key id");
        }
        return id;
    }

    /**
     * Decrypts and authenticates.
     *
     * @param binding the row the envelope was read from
     * @param envelope stored bytes
     * @return the secret
     * @throws UndecryptableSecretException if the envelope is malformed, its key is not in the
     *     keyring or it does not verify for this binding
     */
    public byte[] open(SecretBinding binding, byte[] envelope) throws UndecryptableSecretException {
        String keyId = keyId(envelope);
        SecretKey key = keyring.key(keyId);
        if (key == null) {
            throw new UndecryptableSecretException(
                    UndecryptableSecretException.Reason.UNKNOWN_KEY, "key id '" + keyId + "' is not in the keyring");
        }
        int header = 2 + keyId.length() + NONCE_BYTES;
        try {
            Cipher gcm = Cipher.getInstance("AES/GCM/NoPadding");
            gcm.init(
                    Cipher.DECRYPT_MODE,
                    key,
                    new GCMParameterSpec(TAG_BITS, envelope, 2 + keyId.length(), NONCE_BYTES));
            gcm.updateAAD(binding.associatedData(VERSION, keyId));
            return gcm.doFinal(envelope, header, envelope.length - header);
        } catch (AEADBadTagException e) {
            throw new UndecryptableSecretException(
                    UndecryptableSecretException.Reason.TAG_MISMATCH,
                    "authentication tag does not verify for " + binding);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(
                    "AES-GCM unavailable: " + e.getClass().getSimpleName());
        }
    }
}
