package dev.keyward.opaque;

import java.math.BigInteger;
import java.security.SecureRandom;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.ec.CustomNamedCurves;
import org.bouncycastle.math.ec.ECCurve;
import org.bouncycastle.math.ec.ECMultiplier;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.math.ec.FixedPointCombMultiplier;
import org.bouncycastle.util.BigIntegers;

/**
 * NIST P-256 as the RFC 9497 P256-SHA256 group: 33-byte compressed SEC1 elements, 32-byte
 * big-endian scalars, HashToGroup = RFC 9380 P256_XMD:SHA-256_SSWU_RO_.
 *
 * <p>Runs on BouncyCastle's dedicated secp256r1 field and curve code. BouncyCastle's EC API only
 * takes scalars as BigInteger, so secret scalars do pass through BigInteger on their way into
 * the multiplier, the reduction of hashToScalar and randomScalar, and the inversion (the same
 * exposure BouncyCastle's own ECDH and ECDSA have). Everything else on secret scalars works on
 * byte arrays in constant time. Multiplication always uses the fixed-point comb, whose table
 * lookups scan the whole table; the default wNAF multiplier indexes its table by secret digits.
 */
final class P256Group implements PrimeOrderGroup {
    private static final X9ECParameters PARAMS = CustomNamedCurves.getByName("secp256r1");
    static final ECCurve CURVE = PARAMS.getCurve();
    static final BigInteger P = CURVE.getField().getCharacteristic();
    static final BigInteger N = PARAMS.getN();
    private static final ECPoint G = PARAMS.getG().normalize();
    private static final byte[] N_BYTES = BigIntegers.asUnsignedByteArray(32, N);
    private static final ECMultiplier MULTIPLIER = new FixedPointCombMultiplier();

    static final int ELEMENT_LENGTH = 33;
    static final int SCALAR_LENGTH = 32;
    // RFC 9497 section 4.3: HashToScalar draws L = 48 bytes so the reduction mod n is unbiased.
    private static final int SCALAR_HASH_LENGTH = 48;

    static final P256Group INSTANCE = new P256Group();

    private P256Group() {}

    @Override
    public int elementLength() {
        return ELEMENT_LENGTH;
    }

    @Override
    public int scalarLength() {
        return SCALAR_LENGTH;
    }

    @Override
    public Element hashToGroup(byte[] msg, byte[] dst) {
        return new P256Element(P256HashToCurve.hashToCurve(msg, dst));
    }

    @Override
    public byte[] hashToScalar(byte[] msg, byte[] dst) {
        byte[] uniform = ExpandMessageXmd.SHA256.expand(msg, dst, SCALAR_HASH_LENGTH);
        try {
            return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, new BigInteger(1, uniform).mod(N));
        } finally {
            Bytes.wipe(uniform);
        }
    }

    @Override
    public Element decodeElement(byte[] encoded) throws InvalidMessageException {
        if (encoded == null || encoded.length != ELEMENT_LENGTH) {
            throw new InvalidMessageException("P-256 element must be 33 bytes");
        }
        if (encoded[0] != 0x02 && encoded[0] != 0x03) {
            throw new InvalidMessageException("P-256 element must be compressed (prefix 02 or 03)");
        }
        if (new BigInteger(1, Bytes.slice(encoded, 1, 32)).compareTo(P) >= 0) {
            throw new InvalidMessageException("P-256 element x-coordinate is not reduced");
        }
        ECPoint point;
        try {
            point = CURVE.decodePoint(encoded).normalize();
        } catch (IllegalArgumentException | ArithmeticException e) {
            throw new InvalidMessageException("P-256 element is not on the curve");
        }
        if (point.isInfinity()) {
            throw new InvalidMessageException("P-256 element is the identity");
        }
        return new P256Element(point);
    }

    @Override
    public void checkScalar(byte[] scalar) throws InvalidMessageException {
        if (scalar == null || scalar.length != SCALAR_LENGTH) {
            throw new InvalidMessageException("P-256 scalar must be 32 bytes");
        }
        if (inRangeNonZero(scalar) == 0) {
            throw new InvalidMessageException("P-256 scalar is zero or not below the group order");
        }
    }

    @Override
    public byte[] randomScalar(SecureRandom random) {
        byte[] wide = new byte[SCALAR_HASH_LENGTH];
        try {
            while (true) {
                random.nextBytes(wide);
                // 48 bytes reduced mod n: the bias is below 2^-128.
                byte[] scalar = BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, new BigInteger(1, wide).mod(N));
                if (inRangeNonZero(scalar) == 1) {
                    return scalar;
                }
            }
        } finally {
            Bytes.wipe(wide);
        }
    }

    @Override
    public byte[] invertScalar(byte[] scalar) {
        requireReduced(scalar);
        // modOddInverse is BouncyCastle's constant-time safegcd; BigInteger.modInverse is not.
        return BigIntegers.asUnsignedByteArray(SCALAR_LENGTH, BigIntegers.modOddInverse(N, new BigInteger(1, scalar)));
    }

    @Override
    public Element multiplyGenerator(byte[] scalar) {
        return new P256Element(multiply(G, scalar));
    }

    /** scalar * point in affine form; the comb table for point is cached on the point itself. */
    static ECPoint multiply(ECPoint point, byte[] scalar) {
        requireReduced(scalar);
        return MULTIPLIER.multiply(point, new BigInteger(1, scalar)).normalize();
    }

    /** Internal callers pass reduced 32-byte scalars; anything else is a programming error. */
    private static void requireReduced(byte[] scalar) {
        if (scalar == null || scalar.length != SCALAR_LENGTH || lessThanN(scalar) == 0) {
            throw new IllegalArgumentException("not a reduced 32-byte P-256 scalar");
        }
    }

    /** 1 if 0 &lt; scalar &lt; n, else 0, without branching on the scalar. */
    private static int inRangeNonZero(byte[] scalar) {
        int acc = 0;
        for (byte b : scalar) {
            acc |= b & 0xFF;
        }
        int nonZero = 1 - ((acc - 1) >>> 31);
        return lessThanN(scalar) & nonZero;
    }

    /** 1 if the 32-byte big-endian value is below n, else 0: the borrow out of value - n. */
    private static int lessThanN(byte[] value) {
        int borrow = 0;
        for (int i = SCALAR_LENGTH - 1; i >= 0; i--) {
            int d = (value[i] & 0xFF) - (N_BYTES[i] & 0xFF) - borrow;
            borrow = d >>> 31;
        }
        return borrow;
    }
}
