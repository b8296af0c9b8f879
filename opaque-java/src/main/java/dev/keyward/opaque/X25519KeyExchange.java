package dev.keyward.opaque;

import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * 3DH over X25519 (RFC 7748), the "curve25519" key-exchange group of RFC 9807: the private key
 * is the 32-byte seed itself and the public key is X25519(seed, 9). BouncyCastle's X25519 is a
 * constant-time Montgomery ladder.
 *
 * <p>Decoding is stricter than RFC 7748 asks of a plain DH peer, because here keys are part of
 * stored records and transcripts: an encoding must be canonical (u &lt; 2^255 - 19, top bit
 * clear) and the point must not have small order, which would make every shared secret zero.
 */
final class X25519KeyExchange implements KeyExchangeGroup {
    static final X25519KeyExchange INSTANCE = new X25519KeyExchange();

    /** A fixed clamped scalar: a multiple of 8, so X25519 with it is zero exactly on small-order points. */
    private static final byte[] PROBE_SCALAR = probeScalar();

    private X25519KeyExchange() {}

    private record UKey(byte[] u) implements PublicKey {
        @Override
        public byte[] encode() {
            return OpaqueSuite.copy(u);
        }
    }

    @Override
    public int publicKeyLength() {
        return X25519.POINT_SIZE;
    }

    @Override
    public int privateKeyLength() {
        return X25519.SCALAR_SIZE;
    }

    @Override
    public byte[] derivePrivateKey(byte[] seed) {
        return OpaqueSuite.copy(seed);
    }

    @Override
    public PublicKey publicKey(byte[] privateKey) {
        byte[] u = new byte[X25519.POINT_SIZE];
        X25519.scalarMultBase(privateKey, 0, u, 0);
        return new UKey(u);
    }

    @Override
    public PublicKey decodePublicKey(byte[] encoded) throws InvalidMessageException {
        if (encoded == null || encoded.length != X25519.POINT_SIZE) {
            throw new InvalidMessageException("X25519 public key must be 32 bytes");
        }
        if (!isCanonical(encoded)) {
            throw new InvalidMessageException("X25519 public key is not canonically encoded");
        }
        byte[] probe = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(PROBE_SCALAR, 0, encoded, 0, probe, 0)) {
            throw new InvalidMessageException("X25519 public key has small order");
        }
        return new UKey(OpaqueSuite.copy(encoded));
    }

    @Override
    public void checkPrivateKey(byte[] privateKey) throws InvalidMessageException {
        if (privateKey == null || privateKey.length != X25519.SCALAR_SIZE) {
            throw new InvalidMessageException("X25519 private key must be 32 bytes");
        }
        int acc = 0;
        for (byte b : privateKey) {
            acc |= b;
        }
        if (acc == 0) {
            throw new InvalidMessageException("X25519 private key is zero");
        }
    }

    @Override
    public byte[] diffieHellman(byte[] privateKey, PublicKey peer) {
        byte[] shared = new byte[X25519.POINT_SIZE];
        if (!X25519.calculateAgreement(privateKey, 0, ((UKey) peer).u(), 0, shared, 0)) {
            // Unreachable for keys that passed decodePublicKey or came from publicKey().
            throw new IllegalStateException("X25519 produced the all-zero shared secret");
        }
        return shared;
    }

    /** u &lt; p = 2^255 - 19 with the top bit clear, little-endian; public data, may branch. */
    private static boolean isCanonical(byte[] u) {
        if ((u[31] & 0x80) != 0) {
            return false;
        }
        // u >= p only if u is in [2^255 - 19, 2^255 - 1]: bytes 1..30 all 0xff, byte 31 = 0x7f, byte 0 >= 0xed.
        if ((u[31] & 0xFF) != 0x7F) {
            return true;
        }
        for (int i = 30; i >= 1; i--) {
            if ((u[i] & 0xFF) != 0xFF) {
                return true;
            }
        }
        return (u[0] & 0xFF) < 0xED;
    }

    private static byte[] probeScalar() {
        byte[] k = new byte[X25519.SCALAR_SIZE];
        k[0] = 8; // X25519 clamping clears the low 3 bits and sets bit 254 anyway
        return k;
    }
}
