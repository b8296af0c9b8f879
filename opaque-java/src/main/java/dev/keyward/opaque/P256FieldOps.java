package dev.keyward.opaque;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECFieldElement;

/**
 * Branch-free helpers over the P-256 base field for the hash-to-curve map, whose input is
 * derived from the password. BouncyCastle's own isZero, equals and sqrt return early on the
 * value, so comparisons and selections here go through the fixed-length 32-byte encodings.
 * Turning bytes back into an element still passes through BigInteger, the only public way to
 * build a BouncyCastle field element; its cost depends on the value only through leading zeros.
 */
final class P256FieldOps {
    private static final int LENGTH = 32;

    private P256FieldOps() {}

    static ECFieldElement fromBytes(byte[] bigEndian) {
        return P256Group.CURVE.fromBigInteger(new BigInteger(1, bigEndian));
    }

    static ECFieldElement fromBigInteger(BigInteger value) {
        return P256Group.CURVE.fromBigInteger(value);
    }

    /** 1 if a == b, else 0. */
    static int equal(ECFieldElement a, ECFieldElement b) {
        byte[] x = a.getEncoded();
        byte[] y = b.getEncoded();
        int diff = 0;
        for (int i = 0; i < LENGTH; i++) {
            diff |= (x[i] ^ y[i]) & 0xFF;
        }
        return (diff - 1) >>> 31;
    }

    /** 1 if a == 0, else 0. */
    static int isZero(ECFieldElement a) {
        byte[] x = a.getEncoded();
        int acc = 0;
        for (int i = 0; i < LENGTH; i++) {
            acc |= x[i] & 0xFF;
        }
        return (acc - 1) >>> 31;
    }

    /** RFC 9380 CMOV(a, b, c): b if c == 1, a if c == 0. */
    static ECFieldElement select(ECFieldElement a, ECFieldElement b, int c) {
        byte[] x = a.getEncoded();
        byte[] y = b.getEncoded();
        int mask = -c;
        byte[] out = new byte[LENGTH];
        for (int i = 0; i < LENGTH; i++) {
            out[i] = (byte) (x[i] ^ (mask & (x[i] ^ y[i])));
        }
        return fromBytes(out);
    }

    /** RFC 9380 sgn0 for m = 1: the parity of the canonical value. */
    static int sgn0(ECFieldElement a) {
        return a.getEncoded()[LENGTH - 1] & 1;
    }

    /** base^exponent for a public exponent; the square-and-multiply pattern depends on it alone. */
    static ECFieldElement pow(ECFieldElement base, BigInteger exponent) {
        ECFieldElement result = fromBigInteger(BigInteger.ONE);
        for (int i = exponent.bitLength() - 1; i >= 0; i--) {
            result = result.square();
            if (exponent.testBit(i)) {
                result = result.multiply(base);
            }
        }
        return result;
    }
}
