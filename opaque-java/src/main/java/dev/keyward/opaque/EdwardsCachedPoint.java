package dev.keyward.opaque;

import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * A point prepared as the right-hand operand of an addition: (Y+X, Y-X, 2Z, 2dT).
 * Tables store these as 40 consecutive ints so that lookups can be masked copies.
 */
final class EdwardsCachedPoint {
    static final int INTS = 4 * X25519Field.SIZE;

    final int[] ypx = Field25519.create();
    final int[] ymx = Field25519.create();
    final int[] z2 = Field25519.create();
    final int[] t2d = Field25519.create();

    static EdwardsCachedPoint of(EdwardsPoint p) {
        EdwardsCachedPoint c = new EdwardsCachedPoint();
        c.set(p);
        return c;
    }

    void set(EdwardsPoint p) {
        X25519Field.add(p.y, p.x, ypx);
        X25519Field.carry(ypx);
        X25519Field.sub(p.y, p.x, ymx);
        X25519Field.carry(ymx);
        X25519Field.mul(p.z, 2, z2);
        X25519Field.mul(p.t, Field25519.D2, t2d);
    }

    void store(int[] table, int index) {
        int off = index * INTS;
        X25519Field.copy(ypx, 0, table, off);
        X25519Field.copy(ymx, 0, table, off + X25519Field.SIZE);
        X25519Field.copy(z2, 0, table, off + 2 * X25519Field.SIZE);
        X25519Field.copy(t2d, 0, table, off + 3 * X25519Field.SIZE);
    }

    /** Loads entry {@code index} of a 16-entry table, reading every entry. */
    void select(int[] table, int index) {
        wipe();
        final int n = X25519Field.SIZE;
        for (int j = 0; j < 16; j++) {
            int mask = ((j ^ index) - 1) >> 31; // -1 only for j == index (both in 0..15)
            int off = j * INTS;
            // OR of masked entries: exactly one mask is set, and this is half the work of cmov
            for (int k = 0; k < n; k++) {
                ypx[k] |= table[off + k] & mask;
                ymx[k] |= table[off + n + k] & mask;
                z2[k] |= table[off + 2 * n + k] & mask;
                t2d[k] |= table[off + 3 * n + k] & mask;
            }
        }
    }

    void wipe() {
        Field25519.wipe(ypx, ymx, z2, t2d);
    }
}
