package dev.keyward.opaque;

import java.security.SecureRandom;

/**
 * A prime-order group as RFC 9497 section 2.1 uses it. Scalars travel as byte arrays in the
 * group's canonical scalar encoding (little-endian for ristretto255, big-endian for P-256) and
 * are always fully reduced; implementations must treat them as secret (constant-time
 * arithmetic, no BigInteger on secret data where the group allows it).
 */
interface PrimeOrderGroup {

    /** Encoded element length (RFC 9497 Noe). */
    int elementLength();

    /** Encoded scalar length (RFC 9497 Ns). */
    int scalarLength();

    /** RFC 9497 HashToGroup: hash_to_curve / hash_to_ristretto255 with the given DST. */
    Element hashToGroup(byte[] msg, byte[] dst);

    /** RFC 9497 HashToScalar with the given DST; result is reduced and encoded (may be zero). */
    byte[] hashToScalar(byte[] msg, byte[] dst);

    /**
     * RFC 9497 DeserializeElement: rejects wrong length, non-canonical encodings, points not on
     * the curve / not in the group, and the identity.
     */
    Element decodeElement(byte[] encoded) throws InvalidMessageException;

    /** Rejects wrong length, values not below the group order, and zero. */
    void checkScalar(byte[] scalar) throws InvalidMessageException;

    /** A uniformly random non-zero scalar. */
    byte[] randomScalar(SecureRandom random);

    /** Multiplicative inverse modulo the group order of a non-zero scalar. */
    byte[] invertScalar(byte[] scalar);

    /** scalar * G. */
    Element multiplyGenerator(byte[] scalar);

    /** A group element; immutable. */
    interface Element {
        /** RFC 9497 SerializeElement. */
        byte[] encode();

        /** scalar * this. */
        Element multiply(byte[] scalar);

        /** True for the identity (neutral) element; constant-time where practical. */
        boolean isIdentity();
    }
}
