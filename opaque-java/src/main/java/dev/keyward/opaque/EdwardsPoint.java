package dev.keyward.opaque;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * An edwards25519 point (a = -1, d = -121665/121666) in extended coordinates (X:Y:Z:T) with
 * x = X/Z, y = Y/Z, xy = T/Z. The addition and doubling formulas are complete on this curve,
 * so no input needs a special case.
 */
final class EdwardsPoint {
    static final int WINDOWS = 64; // 4-bit windows over a 256-bit scalar

    final int[] x = Field25519.create();
    final int[] y = Field25519.create();
    final int[] z = Field25519.create();
    final int[] t = Field25519.create();

    static EdwardsPoint identity() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.one(p.y);
        X25519Field.one(p.z);
        return p;
    }

    EdwardsPoint copy() {
        EdwardsPoint p = new EdwardsPoint();
        X25519Field.copy(x, 0, p.x, 0);
        X25519Field.copy(y, 0, p.y, 0);
        X25519Field.copy(z, 0, p.z, 0);
        X25519Field.copy(t, 0, p.t, 0);
        return p;
    }

    /** this += q (add-2008-hwcd-3 with k = 2d). */
    void add(EdwardsCachedPoint q, EdwardsScratch w) {
        X25519Field.sub(y, x, w.a);
        X25519Field.mul(w.a, q.ymx, w.a); // A = (Y1-X1)(Y2-X2)
        X25519Field.add(y, x, w.b);
        X25519Field.mul(w.b, q.ypx, w.b); // B = (Y1+X1)(Y2+X2)
        X25519Field.mul(t, q.t2d, w.c); // C = T1 * 2d * T2
        X25519Field.mul(z, q.z2, w.d); // D = Z1 * 2 * Z2
        X25519Field.apm(w.b, w.a, w.h, w.e); // H = B + A, E = B - A
        X25519Field.apm(w.d, w.c, w.g, w.f); // G = D + C, F = D - C
        X25519Field.carry(w.g); // G and H are both sums and meet in Y3
        X25519Field.mul(w.e, w.f, x);
        X25519Field.mul(w.g, w.h, y);
        X25519Field.mul(w.f, w.g, z);
        X25519Field.mul(w.e, w.h, t);
    }

    /**
     * this = 2 * this (dbl-2008-hwcd). T is not read, and is only written when
     * {@code withT}, since a doubling followed by another doubling does not need it.
     */
    void dbl(boolean withT, EdwardsScratch w) {
        X25519Field.sqr(x, w.a); // A = X^2
        X25519Field.sqr(y, w.b); // B = Y^2
        X25519Field.sqr(z, w.c);
        X25519Field.mul(w.c, 2, w.c); // C = 2 Z^2
        X25519Field.mul(x, y, w.e);
        X25519Field.mul(w.e, 2, w.e); // E = 2XY = (X+Y)^2 - A - B
        X25519Field.apm(w.b, w.a, w.h, w.g); // G = B - A (= aA + B for a = -1)
        X25519Field.negate(w.h, w.h); // H = -A - B (= aA - B)
        X25519Field.sub(w.g, w.c, w.f); // F = G - C
        X25519Field.carry(w.f);
        X25519Field.mul(w.e, w.f, x);
        X25519Field.mul(w.g, w.h, y);
        X25519Field.mul(w.f, w.g, z);
        if (withT) {
            X25519Field.mul(w.e, w.h, t);
        }
    }

    /** scalar * p with fixed 4-bit windows and constant-time table lookups. */
    static EdwardsPoint multiply(EdwardsPoint p, byte[] scalar) {
        int[] digits = nibbles(scalar);
        EdwardsScratch w = new EdwardsScratch();
        EdwardsCachedPoint entry = EdwardsCachedPoint.of(p);

        int[] table = new int[16 * EdwardsCachedPoint.INTS]; // table[j] = j * p
        EdwardsPoint acc = identity();
        EdwardsCachedPoint accCached = new EdwardsCachedPoint();
        for (int j = 0; j < 16; j++) {
            accCached.set(acc);
            accCached.store(table, j);
            if (j < 15) {
                acc.add(entry, w);
            }
        }

        EdwardsPoint q = identity();
        for (int i = WINDOWS - 1; i >= 0; i--) {
            if (i != WINDOWS - 1) {
                q.dbl(false, w);
                q.dbl(false, w);
                q.dbl(false, w);
                q.dbl(true, w);
            }
            entry.select(table, digits[i]);
            q.add(entry, w);
        }
        Arrays.fill(digits, 0);
        w.wipe();
        entry.wipe();
        return q;
    }

    /** scalar * generator: one addition per window from a precomputed table, no doublings. */
    static EdwardsPoint multiplyGenerator(byte[] scalar) {
        int[] digits = nibbles(scalar);
        int[][] windows = EdwardsGeneratorTable.WINDOWS;
        EdwardsScratch w = new EdwardsScratch();
        EdwardsCachedPoint entry = new EdwardsCachedPoint();
        EdwardsPoint q = identity();
        for (int i = 0; i < WINDOWS; i++) {
            entry.select(windows[i], digits[i]);
            q.add(entry, w);
        }
        Arrays.fill(digits, 0);
        w.wipe();
        entry.wipe();
        return q;
    }

    /** Little-endian base-16 digits of a 32-byte little-endian scalar. */
    private static int[] nibbles(byte[] scalar) {
        if (scalar.length != Scalar25519Mod.LENGTH) {
            throw new IllegalArgumentException("scalar must be 32 bytes");
        }
        int[] d = new int[WINDOWS];
        for (int i = 0; i < Scalar25519Mod.LENGTH; i++) {
            d[2 * i] = scalar[i] & 15;
            d[2 * i + 1] = (scalar[i] >> 4) & 15;
        }
        return d;
    }
}
