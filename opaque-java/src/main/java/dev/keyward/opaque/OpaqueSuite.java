package dev.keyward.opaque;

import java.util.Arrays;
import org.bouncycastle.crypto.Digest;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.digests.SHA512Digest;
import org.bouncycastle.crypto.generators.HKDFBytesGenerator;
import org.bouncycastle.crypto.macs.HMac;
import org.bouncycastle.crypto.params.HKDFParameters;
import org.bouncycastle.crypto.params.KeyParameter;

/**
 * An OPAQUE-3DH configuration of RFC 9807 section 7: the OPRF suite of RFC 9497, the same group
 * for the 3DH key exchange, and HKDF/HMAC over the suite's hash.
 *
 * <ul>
 *   <li>{@link #RISTRETTO255_SHA512}: the default, wire-compatible with opaque-ke and
 *       {@code @serenity-kit/opaque}.</li>
 *   <li>{@link #P256_SHA256}: NIST P-256, for deployments that want NIST curves.</li>
 *   <li>{@link #RISTRETTO255_X25519_SHA512}: ristretto255 OPRF with an X25519 key exchange,
 *       the third configuration of the RFC 9807 test vectors (opaque-ke's
 *       {@code TripleDh<X25519, Sha512>}).</li>
 * </ul>
 */
public enum OpaqueSuite {
    /** OPRF(ristretto255, SHA-512), 3DH over ristretto255, HKDF-SHA-512, HMAC-SHA-512. */
    RISTRETTO255_SHA512("ristretto255-SHA512", "ristretto255-SHA512", 64, 32, 32),
    /** OPRF(P-256, SHA-256), 3DH over P-256, HKDF-SHA-256, HMAC-SHA-256. */
    P256_SHA256("P256-SHA256", "P256-SHA256", 32, 33, 33),
    /** OPRF(ristretto255, SHA-512), 3DH over X25519, HKDF-SHA-512, HMAC-SHA-512. */
    RISTRETTO255_X25519_SHA512("ristretto255-X25519-SHA512", "ristretto255-SHA512", 64, 32, 32);

    /** Nonce length Nn of RFC 9807. */
    static final int NONCE_LENGTH = 32;
    /** Seed length Nseed of RFC 9807. */
    static final int SEED_LENGTH = 32;

    private final String identifier;
    private final String oprfIdentifier;
    private final int hashLength;
    private final int elementLength;
    private final int publicKeyLength;

    OpaqueSuite(String identifier, String oprfIdentifier, int hashLength, int elementLength, int publicKeyLength) {
        this.identifier = identifier;
        this.oprfIdentifier = oprfIdentifier;
        this.hashLength = hashLength;
        this.elementLength = elementLength;
        this.publicKeyLength = publicKeyLength;
    }

    /**
     * @return this library's name for the suite: the RFC 9497 OPRF identifier when the key
     *     exchange uses the OPRF's group ({@code ristretto255-SHA512}, {@code P256-SHA256}),
     *     else {@code ristretto255-X25519-SHA512}
     */
    public String identifier() {
        return identifier;
    }

    /** @return the RFC 9497 identifier of the OPRF suite, e.g. {@code ristretto255-SHA512} */
    public String oprfIdentifier() {
        return oprfIdentifier;
    }

    /**
     * Looks a suite up by {@link #identifier()}.
     *
     * @param identifier e.g. {@code ristretto255-SHA512} or {@code P256-SHA256}
     * @return the suite
     * @throws InvalidMessageException if no supported suite has that identifier
     */
    public static OpaqueSuite fromIdentifier(String identifier) throws InvalidMessageException {
        for (OpaqueSuite s : values()) {
            if (s.identifier.equals(identifier)) {
                return s;
            }
        }
        throw new InvalidMessageException("unknown OPAQUE suite");
    }

    /** @return Nh: hash output length, also the MAC (Nm), KDF (Nx) and masking-key length */
    public int hashLength() {
        return hashLength;
    }

    /** @return Npk: length of an encoded key-exchange public key */
    public int publicKeyLength() {
        return publicKeyLength;
    }

    /** @return Noe: length of an encoded OPRF group element */
    public int elementLength() {
        return elementLength;
    }

    /** @return Nsk: length of a key-exchange private key (32 for every suite) */
    public int privateKeyLength() {
        return 32;
    }

    /** @return length of a serialized registration request */
    public int registrationRequestLength() {
        return elementLength;
    }

    /** @return length of a serialized registration response */
    public int registrationResponseLength() {
        return elementLength + publicKeyLength;
    }

    /** @return length of a serialized registration record (what the server stores) */
    public int registrationRecordLength() {
        return publicKeyLength + hashLength + envelopeLength();
    }

    /** @return length of a serialized KE1 */
    public int ke1Length() {
        return elementLength + NONCE_LENGTH + publicKeyLength;
    }

    /** @return length of a serialized KE2 */
    public int ke2Length() {
        return credentialResponseLength() + NONCE_LENGTH + publicKeyLength + hashLength;
    }

    /** @return length of a serialized KE3 */
    public int ke3Length() {
        return hashLength;
    }

    int envelopeLength() {
        return NONCE_LENGTH + hashLength;
    }

    int maskedResponseLength() {
        return publicKeyLength + envelopeLength();
    }

    int credentialResponseLength() {
        return elementLength + NONCE_LENGTH + maskedResponseLength();
    }

    /** The OPRF group. */
    PrimeOrderGroup group() {
        return this == P256_SHA256 ? P256Group.INSTANCE : Ristretto255Group.INSTANCE;
    }

    /** The 3DH group. */
    KeyExchangeGroup keyExchange() {
        return switch (this) {
            case RISTRETTO255_SHA512 -> KeyExchanges.RISTRETTO255;
            case P256_SHA256 -> KeyExchanges.P256;
            case RISTRETTO255_X25519_SHA512 -> X25519KeyExchange.INSTANCE;
        };
    }

    /** Lazily built, so that an enum constant does not depend on a group before both exist. */
    private static final class KeyExchanges {
        static final KeyExchangeGroup RISTRETTO255 = new PrimeOrderKeyExchange(RISTRETTO255_SHA512);
        static final KeyExchangeGroup P256 = new PrimeOrderKeyExchange(P256_SHA256);
    }

    private Digest newDigest() {
        return this == P256_SHA256 ? new SHA256Digest() : new SHA512Digest();
    }

    byte[] hash(byte[]... parts) {
        Digest d = newDigest();
        for (byte[] p : parts) {
            d.update(p, 0, p.length);
        }
        byte[] out = new byte[d.getDigestSize()];
        d.doFinal(out, 0);
        return out;
    }

    byte[] mac(byte[] key, byte[]... parts) {
        HMac m = new HMac(newDigest());
        m.init(new KeyParameter(key));
        for (byte[] p : parts) {
            m.update(p, 0, p.length);
        }
        byte[] out = new byte[m.getMacSize()];
        m.doFinal(out, 0);
        return out;
    }

    byte[] extract(byte[] salt, byte[] ikm) {
        return new HKDFBytesGenerator(newDigest()).extractPRK(salt, ikm);
    }

    byte[] expand(byte[] prk, byte[] info, int length) {
        HKDFBytesGenerator g = new HKDFBytesGenerator(newDigest());
        g.init(HKDFParameters.skipExtractParameters(prk, info));
        byte[] out = new byte[length];
        g.generateBytes(out, 0, length);
        return out;
    }

    /** RFC 9807 Expand-Label with the "OPAQUE-" label prefix. */
    byte[] expandLabel(byte[] secret, String label, byte[] context, int length) {
        byte[] fullLabel = Bytes.ascii("OPAQUE-" + label);
        byte[] info = Bytes.concat(
                Bytes.u16(length),
                new byte[] {(byte) fullLabel.length},
                fullLabel,
                new byte[] {(byte) context.length},
                context);
        return expand(secret, info, length);
    }

    @Override
    public String toString() {
        return identifier;
    }

    static byte[] copy(byte[] b) {
        return Arrays.copyOf(b, b.length);
    }
}
