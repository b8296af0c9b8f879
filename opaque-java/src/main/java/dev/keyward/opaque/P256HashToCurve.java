package dev.keyward.opaque;

import static dev.keyward.opaque.P256FieldOps.equal;
import static dev.keyward.opaque.P256FieldOps.fromBigInteger;
import static dev.keyward.opaque.P256FieldOps.fromBytes;
import static dev.keyward.opaque.P256FieldOps.isZero;
import static dev.keyward.opaque.P256FieldOps.pow;
import static dev.keyward.opaque.P256FieldOps.select;
import static dev.keyward.opaque.P256FieldOps.sgn0;

import java.math.BigInteger;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;

/**
 * RFC 9380 hash-to-curve for P256_XMD:SHA-256_SSWU_RO_ (and its _NU_ sibling): expand_message_xmd
 * with SHA-256, L = 48, the simplified SWU map with Z = -10, cofactor 1.
 *
 * <p>The map is the straight-line form of RFC 9380 appendix F.2 with the p = 3 mod 4 sqrt_ratio
 * of F.2.1.2, so one exponentiation and one inversion run whatever the input, and the branches
 * of section 6.6.2 become constant-time selections.
 */
final class P256HashToCurve {
    /** Bytes per field element: ceil((ceil(log2(p)) + k) / 8) with k = 128. */
    static final int L = 48;

    private static final ECFieldElement A = P256Group.CURVE.getA();
    private static final ECFieldElement B = P256Group.CURVE.getB();
    private static final ECFieldElement Z = fromBigInteger(P256Group.P.subtract(BigInteger.TEN));
    private static final ECFieldElement ONE = fromBigInteger(BigInteger.ONE);
    /** 2^192: a 48-byte string is split into two 24-byte halves, each already below p. */
    private static final ECFieldElement TWO_192 = fromBigInteger(BigInteger.ONE.shiftLeft(192));
    /** (p - 3) / 4, the exponent of sqrt_ratio for p = 3 mod 4. */
    private static final BigInteger C1 =
            P256Group.P.subtract(BigInteger.valueOf(3)).shiftRight(2);
    /** sqrt(-Z); -Z is a square because Z and -1 are both non-squares. Either root works. */
    private static final ECFieldElement C2 = Z.negate().sqrt();

    private P256HashToCurve() {}

    /** hash_to_curve: two field elements, two maps, one addition (clear_cofactor is the identity). */
    static ECPoint hashToCurve(byte[] msg, byte[] dst) {
        ECFieldElement[] u = hashToField(msg, dst, 2);
        return mapToCurve(u[0]).add(mapToCurve(u[1])).normalize();
    }

    /** encode_to_curve (the _NU_ suite); not a random oracle, kept for the RFC 9380 vectors. */
    static ECPoint encodeToCurve(byte[] msg, byte[] dst) {
        return mapToCurve(hashToField(msg, dst, 1)[0]);
    }

    /**
     * hash_to_field with m = 1. OS2IP(48 bytes) mod p is computed as hi * 2^192 + lo in the field
     * rather than with BigInteger.mod, whose division loop depends on the (password-derived)
     * value; both 24-byte halves are below p, so each is already a valid field element.
     */
    static ECFieldElement[] hashToField(byte[] msg, byte[] dst, int count) {
        byte[] uniform = ExpandMessageXmd.SHA256.expand(msg, dst, count * L);
        ECFieldElement[] u = new ECFieldElement[count];
        for (int i = 0; i < count; i++) {
            byte[] hi = Bytes.slice(uniform, i * L, L / 2);
            byte[] lo = Bytes.slice(uniform, i * L + L / 2, L / 2);
            u[i] = fromBytes(hi).multiply(TWO_192).add(fromBytes(lo));
            Bytes.wipe(hi, lo);
        }
        Bytes.wipe(uniform);
        return u;
    }

    /**
     * Simplified SWU for A != 0 (RFC 9380 section 6.6.2). Both candidate x-coordinates are kept
     * as fractions over a common denominator so the only inversion is the final one.
     */
    static ECPoint mapToCurve(ECFieldElement u) {
        ECFieldElement zu2 = Z.multiply(u.square()); // Z u^2
        ECFieldElement t = zu2.square().add(zu2); // Z^2 u^4 + Z u^2
        // x1 = -B (1 + 1/t) / A = xNum / xDen, with the exceptional t == 0 giving x1 = B / (Z A).
        ECFieldElement xNum = B.multiply(t.add(ONE));
        ECFieldElement xDen = A.multiply(select(t.negate(), Z, isZero(t)));
        // g(x1) = (xNum^3 + A xNum xDen^2 + B xDen^3) / xDen^3 = gxNum / gxDen
        ECFieldElement xDen2 = xDen.square();
        ECFieldElement gxDen = xDen2.multiply(xDen);
        ECFieldElement gxNum =
                xNum.square().add(A.multiply(xDen2)).multiply(xNum).add(B.multiply(gxDen));

        SqrtRatio root = sqrtRatio(gxNum, gxDen);
        // If g(x1) is not square then g(x2) = Z^3 u^6 g(x1) is, with x2 = Z u^2 x1 and
        // y2 = Z u^3 * sqrt(Z g(x1)), which is what sqrtRatio returned in that case.
        ECFieldElement x = select(zu2.multiply(xNum), xNum, root.isSquare);
        ECFieldElement y = select(zu2.multiply(u).multiply(root.value), root.value, root.isSquare);
        int sameSign = 1 ^ sgn0(u) ^ sgn0(y);
        y = select(y.negate(), y, sameSign);
        x = x.divide(xDen);
        return P256Group.CURVE.validatePoint(x.toBigInteger(), y.toBigInteger());
    }

    /** sqrt_ratio(u, v): sqrt(u / v) when that is square, else sqrt(Z u / v). */
    static SqrtRatio sqrtRatio(ECFieldElement u, ECFieldElement v) {
        ECFieldElement uv = u.multiply(v);
        ECFieldElement y1 = pow(v.square().multiply(uv), C1).multiply(uv);
        int isSquare = equal(y1.square().multiply(v), u);
        return new SqrtRatio(isSquare, select(y1.multiply(C2), y1, isSquare));
    }

    /** Result of sqrtRatio; isSquare is 1 or 0 so callers can select without branching. */
    static final class SqrtRatio {
        final int isSquare;
        final ECFieldElement value;

        SqrtRatio(int isSquare, ECFieldElement value) {
            this.isSquare = isSquare;
            this.value = value;
        }
    }
}
