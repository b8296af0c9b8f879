package dev.keyward.opaque;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * Field helpers that need a fully reduced value (encoding, zero and sign tests, square
 * roots), plus the RFC 9496 constants, over GF(2^255 - 19).
 *
 * <p>Field elements are BouncyCastle's ten-limb {@code int[]}. Its multiplication tolerates one
 * operand that is the sum or difference of two reduced values, but not two such operands, so
 * callers carry intermediate sums where both factors would otherwise be unreduced.
 */
final class Field25519 {
    private static final int[] WIDTH = {26, 26, 25, 26, 25, 26, 26, 25, 26, 24};
    /** p = 2^255 - 19 in the limb layout of {@link #WIDTH}. */
    private static final int[] P = {
        0x3FFFFED, 0x3FFFFFF, 0x1FFFFFF, 0x3FFFFFF, 0x1FFFFFF,
        0x3FFFFFF, 0x3FFFFFF, 0x1FFFFFF, 0x3FFFFFF, 0xFFFFFF
    };

    static final int[] ONE = constant("0100000000000000000000000000000000000000000000000000000000000000");
    static final int[] MINUS_ONE = negated(ONE);
    static final int[] D = constant("a3785913ca4deb75abd841414d0a700098e879777940c78c73fe6f2bee6c0352");
    static final int[] D2 = doubled(D);
    static final int[] SQRT_M1 = constant("b0a00e4a271beec478e42fad0618432fa7d7fb3d99004d2b0bdfc14f8024832b");
    static final int[] SQRT_AD_MINUS_ONE = constant("1b2e7b49a0f6977ebd54781b0c8e9daffdd1f531c9fc3c0fac48832bbf316937");
    static final int[] INVSQRT_A_MINUS_D = constant("ea405d80aafdc899be72415a17162f9d40d801fe917bc216a2fcafcf05896c78");
    static final int[] ONE_MINUS_D_SQ = constant("76c15f94c1097ce20f355ecd38a1812ce4df70beddab9499d7e0b3b2a8729002");
    static final int[] D_MINUS_ONE_SQ = constant("204ded44aa5aad3199191eb02c4a9ed2eb4e9b522fd3dc4c41226cf67ab36859");

    private Field25519() {}

    static int[] create() {
        return X25519Field.create();
    }

    /** The canonical 32-byte little-endian encoding (fully reduced mod p). */
    static byte[] toBytes(int[] x) {
        int[] h = x.clone();
        // Any limbs BouncyCastle produces stay far below 2^28 in magnitude, so after one
        // signed carry pass the value lies in (-2^10, 2^255 + 2^10); adding p makes it
        // non-negative, and two more passes leave every limb in range with value < 2^255.
        weakCarry(h);
        for (int i = 0; i < P.length; i++) {
            h[i] += P[i];
        }
        weakCarry(h);
        weakCarry(h);
        // Now 0 <= h < 2^255 < 2p: subtract p exactly when h + 19 reaches 2^255.
        int[] g = new int[h.length];
        int c = 19;
        for (int i = 0; i < h.length; i++) {
            int v = h[i] + c;
            c = v >> WIDTH[i];
            g[i] = v & ((1 << WIDTH[i]) - 1);
        }
        int subtract = -c;
        for (int i = 0; i < h.length; i++) {
            h[i] ^= (h[i] ^ g[i]) & subtract;
        }
        byte[] out = new byte[32];
        X25519Field.encode(h, out, 0);
        wipe(h, g);
        return out;
    }

    private static void weakCarry(int[] h) {
        for (int i = 0; i < 9; i++) {
            int c = h[i] >> WIDTH[i];
            h[i] -= c << WIDTH[i];
            h[i + 1] += c;
        }
        int c = h[9] >> 24;
        h[9] -= c << 24;
        h[0] += 19 * c;
    }

    /** -1 if x = 0 mod p, else 0. */
    static int zeroMask(int[] x) {
        byte[] b = toBytes(x);
        int acc = 0;
        for (byte v : b) {
            acc |= v & 0xFF;
        }
        Bytes.wipe(b);
        return (acc - 1) >> 31;
    }

    /** -1 if a = b mod p, else 0. */
    static int equalMask(int[] a, int[] b) {
        int[] d = create();
        X25519Field.sub(a, b, d);
        int eq = zeroMask(d);
        wipe(d);
        return eq;
    }

    /** -1 if x is negative in the RFC 9496 sense (odd canonical encoding), else 0. */
    static int negativeMask(int[] x) {
        byte[] b = toBytes(x);
        int neg = -(b[0] & 1);
        Bytes.wipe(b);
        return neg;
    }

    /** x = |x| in place (CT_ABS). */
    static void cabs(int[] x) {
        X25519Field.cnegate(negativeMask(x) & 1, x);
    }

    /**
     * RFC 9496 section 4.2 SQRT_RATIO_M1: r = the non-negative sqrt(u/v) or sqrt(i*u/v);
     * returns -1 if u/v was square, else 0. Constant-time, unlike X25519Field.sqrtRatioVar.
     */
    static int sqrtRatioM1(int[] u, int[] v, int[] r) {
        int[] v3 = create();
        X25519Field.sqr(v, v3);
        X25519Field.mul(v3, v, v3); // v^3
        int[] v7 = create();
        X25519Field.sqr(v3, v7);
        X25519Field.mul(v7, v, v7); // v^7
        int[] t = create();
        X25519Field.mul(u, v7, t);
        powP58(t, t); // (u v^7)^((p-5)/8)
        int[] uv3 = create();
        X25519Field.mul(u, v3, uv3);
        X25519Field.mul(uv3, t, r);

        int[] check = create();
        X25519Field.sqr(r, check);
        X25519Field.mul(check, v, check);
        int[] negU = create();
        X25519Field.negate(u, negU);
        int[] negUi = create();
        X25519Field.mul(negU, SQRT_M1, negUi);

        int correctSign = equalMask(check, u);
        int flippedSign = equalMask(check, negU);
        int flippedSignI = equalMask(check, negUi);

        X25519Field.mul(r, SQRT_M1, t);
        X25519Field.cmov(flippedSign | flippedSignI, t, 0, r, 0);
        cabs(r);
        wipe(v3, v7, t, uv3, check, negU, negUi);
        return correctSign | flippedSign;
    }

    /** z = x^((p-5)/8) = x^(2^252 - 3). */
    static void powP58(int[] x, int[] z) {
        // e_k holds x^(2^k - 1); 2^252 - 3 = (2^250 - 1) * 4 + 1.
        int[] e2 = create();
        X25519Field.sqr(x, e2);
        X25519Field.mul(e2, x, e2);
        int[] e4 = create();
        X25519Field.sqr(e2, 2, e4);
        X25519Field.mul(e4, e2, e4);
        int[] e5 = create();
        X25519Field.sqr(e4, e5);
        X25519Field.mul(e5, x, e5);
        int[] e10 = create();
        X25519Field.sqr(e5, 5, e10);
        X25519Field.mul(e10, e5, e10);
        int[] e20 = create();
        X25519Field.sqr(e10, 10, e20);
        X25519Field.mul(e20, e10, e20);
        int[] e40 = create();
        X25519Field.sqr(e20, 20, e40);
        X25519Field.mul(e40, e20, e40);
        int[] e50 = create();
        X25519Field.sqr(e40, 10, e50);
        X25519Field.mul(e50, e10, e50);
        int[] e100 = create();
        X25519Field.sqr(e50, 50, e100);
        X25519Field.mul(e100, e50, e100);
        int[] e200 = create();
        X25519Field.sqr(e100, 100, e200);
        X25519Field.mul(e200, e100, e200);
        int[] e250 = create();
        X25519Field.sqr(e200, 50, e250);
        X25519Field.mul(e250, e50, e250);
        X25519Field.sqr(e250, 2, e250);
        X25519Field.mul(e250, x, z);
        wipe(e2, e4, e5, e10, e20, e40, e50, e100, e200, e250);
    }

    static void wipe(int[]... arrays) {
        for (int[] a : arrays) {
            Arrays.fill(a, 0);
        }
    }

    private static int[] constant(String littleEndianHex) {
        int[] z = create();
        X25519Field.decode255(HexFormat.of().parseHex(littleEndianHex), 0, z, 0);
        return z;
    }

    private static int[] negated(int[] x) {
        int[] z = create();
        X25519Field.negate(x, z);
        return z;
    }

    private static int[] doubled(int[] x) {
        int[] z = create();
        X25519Field.mul(x, 2, z);
        return z;
    }
}
