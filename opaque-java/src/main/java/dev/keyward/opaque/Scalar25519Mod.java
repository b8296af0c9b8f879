package dev.keyward.opaque;

import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.raw.Mod;

/**
 * Constant-time arithmetic modulo the ristretto255 group order
 * L = 2^252 + 27742317777372353535851937790883648493 on 32-byte little-endian scalars.
 * Internally scalars are eight little-endian 32-bit words; reduction uses Montgomery
 * multiplication with R = 2^256 so that no step branches on or indexes by secret data.
 */
final class Scalar25519Mod {
    static final int LENGTH = 32;

    private static final long M32 = 0xFFFFFFFFL;
    private static final int WORDS = 8;
    private static final int[] L = {0x5cf5d3ed, 0x5812631a, 0xa2f79cd6, 0x14def9de, 0, 0, 0, 0x10000000};
    /** -L^-1 mod 2^32, the Montgomery reduction constant. */
    private static final int L_NEG_INV = 0x12547e1b;
    /** R^2 mod L and R^3 mod L (R = 2^256), little-endian; they move values into and out of Montgomery form. */
    private static final int[] R2 =
            words(HexFormat.of().parseHex("010f9c44e31106a447938568a71b0ed065bef517d273ecce3d9a307c1b419903"), 0);

    private static final int[] R3 =
            words(HexFormat.of().parseHex("dba2837b68499e2aecf3f7aee6248327655bec046cdc6580c7ce9935770b530e"), 0);
    private static final int[] ONE = {1, 0, 0, 0, 0, 0, 0, 0};

    private Scalar25519Mod() {}

    /** A 64-byte little-endian value reduced modulo L (RFC 9497 HashToScalar, random scalars). */
    static byte[] reduceWide(byte[] wide) {
        if (wide.length != 2 * LENGTH) {
            throw new IllegalArgumentException("wide scalar must be 64 bytes");
        }
        int[] lo = words(wide, 0);
        int[] hi = words(wide, LENGTH);
        int[] a = new int[WORDS];
        int[] b = new int[WORDS];
        montMul(lo, R2, a); // lo * R
        montMul(hi, R3, b); // hi * R^2
        addMod(a, b, a); // (lo + hi * 2^256) * R
        montMul(a, ONE, b); // drop the factor R
        byte[] out = bytes(b);
        wipe(lo, hi, a, b);
        return out;
    }

    /** True iff the scalar is 32 bytes, below L and non-zero; runs in time independent of the value. */
    static boolean isValid(byte[] scalar) {
        if (scalar.length != LENGTH) {
            return false;
        }
        int[] w = words(scalar, 0);
        int ok = lessThanL(w) & ~zeroMask(w);
        wipe(w);
        return ok != 0;
    }

    static void check(byte[] scalar) throws InvalidMessageException {
        if (scalar.length != LENGTH) {
            throw new InvalidMessageException("scalar must be 32 bytes");
        }
        if (!isValid(scalar)) {
            throw new InvalidMessageException("scalar is zero or not below the group order");
        }
    }

    static boolean isZero(byte[] scalar) {
        int acc = 0;
        for (byte b : scalar) {
            acc |= b;
        }
        return acc == 0;
    }

    /** The inverse modulo L of a valid (non-zero, reduced) scalar. */
    static byte[] invert(byte[] scalar) {
        if (!isValid(scalar)) {
            throw new IllegalArgumentException("only a non-zero reduced scalar has an inverse");
        }
        int[] x = words(scalar, 0);
        int[] z = new int[WORDS];
        // BouncyCastle's modOddInverse is the constant-time safegcd; the result flag is public
        // because L is prime and x was checked to be non-zero.
        if (Mod.modOddInverse(L.clone(), x, z) == 0) {
            throw new IllegalStateException("scalar not invertible modulo a prime");
        }
        byte[] out = bytes(z);
        wipe(x, z);
        return out;
    }

    /** z = a * b * R^-1 mod L for any a < 2^256 and b < L (CIOS Montgomery multiplication). */
    private static void montMul(int[] a, int[] b, int[] z) {
        int[] t = new int[WORDS + 2];
        for (int i = 0; i < WORDS; i++) {
            long bi = b[i] & M32;
            long c = 0;
            for (int j = 0; j < WORDS; j++) {
                c += (t[j] & M32) + (a[j] & M32) * bi; // < 2^64 as an unsigned value
                t[j] = (int) c;
                c >>>= 32;
            }
            c += t[WORDS] & M32;
            t[WORDS] = (int) c;
            t[WORDS + 1] = (int) (c >>> 32);

            long m = (t[0] * L_NEG_INV) & M32;
            c = ((t[0] & M32) + m * (L[0] & M32)) >>> 32;
            for (int j = 1; j < WORDS; j++) {
                c += (t[j] & M32) + m * (L[j] & M32);
                t[j - 1] = (int) c;
                c >>>= 32;
            }
            c += t[WORDS] & M32;
            t[WORDS - 1] = (int) c;
            t[WORDS] = t[WORDS + 1] + (int) (c >>> 32);
        }
        // a * b < 2^256 * L, so t < 2L and one conditional subtraction finishes the reduction.
        subtractLIfNotLess(t, z);
        Arrays.fill(t, 0);
    }

    /** z = (x + y) mod L for x, y < L. */
    private static void addMod(int[] x, int[] y, int[] z) {
        int[] t = new int[WORDS + 1];
        long c = 0;
        for (int i = 0; i < WORDS; i++) {
            c += (x[i] & M32) + (y[i] & M32);
            t[i] = (int) c;
            c >>>= 32;
        }
        t[WORDS] = (int) c;
        subtractLIfNotLess(t, z);
        Arrays.fill(t, 0);
    }

    /** z = t - L if t >= L, else t; t has WORDS + 1 or more words and is below 2L. */
    private static void subtractLIfNotLess(int[] t, int[] z) {
        int[] d = new int[WORDS];
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            long v = (t[i] & M32) - (L[i] & M32) + borrow;
            d[i] = (int) v;
            borrow = v >> 32;
        }
        long top = (t[WORDS] & M32) + borrow;
        int keep = (int) (top >> 63); // -1 when t < L
        for (int i = 0; i < WORDS; i++) {
            z[i] = (t[i] & keep) | (d[i] & ~keep);
        }
        Arrays.fill(d, 0);
    }

    /** -1 if x < L, else 0. */
    private static int lessThanL(int[] x) {
        long borrow = 0;
        for (int i = 0; i < WORDS; i++) {
            borrow = ((x[i] & M32) - (L[i] & M32) + borrow) >> 32;
        }
        return (int) borrow;
    }

    /** -1 if x is zero, else 0. */
    private static int zeroMask(int[] x) {
        int acc = 0;
        for (int w : x) {
            acc |= w;
        }
        return ((acc | -acc) >> 31) ^ -1;
    }

    private static int[] words(byte[] b, int off) {
        int[] w = new int[WORDS];
        for (int i = 0; i < WORDS; i++) {
            int p = off + 4 * i;
            w[i] = (b[p] & 0xFF) | (b[p + 1] & 0xFF) << 8 | (b[p + 2] & 0xFF) << 16 | (b[p + 3] & 0xFF) << 24;
        }
        return w;
    }

    private static byte[] bytes(int[] w) {
        byte[] b = new byte[LENGTH];
        for (int i = 0; i < WORDS; i++) {
            b[4 * i] = (byte) w[i];
            b[4 * i + 1] = (byte) (w[i] >>> 8);
            b[4 * i + 2] = (byte) (w[i] >>> 16);
            b[4 * i + 3] = (byte) (w[i] >>> 24);
        }
        return b;
    }

    private static void wipe(int[]... arrays) {
        for (int[] a : arrays) {
            Arrays.fill(a, 0);
        }
    }
}
