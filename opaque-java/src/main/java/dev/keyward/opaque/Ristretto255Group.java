package dev.keyward.opaque;

import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.HexFormat;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/**
 * The ristretto255 prime-order group of RFC 9496 on top of edwards25519, with the RFC 9497
 * ristretto255-SHA512 conventions (hash_to_ristretto255 of RFC 9380 appendix B, little-endian
 * scalars, identity rejected on deserialization).
 *
 * <p>All arithmetic on possibly secret values (scalars, points derived from passwords) is
 * constant-time: field operations come from BouncyCastle's {@link X25519Field}, selections use
 * masks, and table lookups touch every entry. Decoding of public wire data may branch on the
 * validity of its input.
 *
 * <p>Field elements are BouncyCastle's ten-limb {@code int[]}. Its multiplication tolerates one
 * operand that is the sum or difference of two reduced values, but not two such operands, so
 * the code below carries intermediate sums where both factors would otherwise be unreduced.
 */
final class Ristretto255Group implements PrimeOrderGroup {
    static final int ELEMENT_LENGTH = 32;

    static final Ristretto255Group INSTANCE = new Ristretto255Group();

    /** RFC 9496 A.1 B[1], the encoding of the generator. */
    private static final EdPoint GENERATOR =
            decodeConstant("e2f2ae0a6abc4e71a884a961c500515f58e30b6aa582dd8db6a65945e08d2d76");

    private Ristretto255Group() {}

    @Override
    public int elementLength() {
        return ELEMENT_LENGTH;
    }

    @Override
    public int scalarLength() {
        return Scalar25519Mod.LENGTH;
    }

    @Override
    public Element hashToGroup(byte[] msg, byte[] dst) {
        byte[] uniform = ExpandMessageXmd.SHA512.expand(msg, dst, 64);
        try {
            return deriveElement(uniform);
        } finally {
            Bytes.wipe(uniform);
        }
    }

    @Override
    public byte[] hashToScalar(byte[] msg, byte[] dst) {
        byte[] uniform = ExpandMessageXmd.SHA512.expand(msg, dst, 64);
        try {
            return Scalar25519Mod.reduceWide(uniform);
        } finally {
            Bytes.wipe(uniform);
        }
    }

    @Override
    public Element decodeElement(byte[] encoded) throws InvalidMessageException {
        RistrettoElement e = decodeRaw(encoded);
        if (e.isIdentity()) {
            throw new InvalidMessageException("ristretto255 element is the identity");
        }
        return e;
    }

    @Override
    public void checkScalar(byte[] scalar) throws InvalidMessageException {
        Scalar25519Mod.check(scalar);
    }

    @Override
    public byte[] randomScalar(SecureRandom random) {
        byte[] wide = new byte[2 * Scalar25519Mod.LENGTH];
        try {
            while (true) {
                random.nextBytes(wide);
                byte[] s = Scalar25519Mod.reduceWide(wide);
                if (!Scalar25519Mod.isZero(s)) {
                    return s;
                }
            }
        } finally {
            Bytes.wipe(wide);
        }
    }

    @Override
    public byte[] invertScalar(byte[] scalar) {
        return Scalar25519Mod.invert(scalar);
    }

    @Override
    public Element multiplyGenerator(byte[] scalar) {
        return new RistrettoElement(EdPoint.multiplyGenerator(scalar));
    }

    /** The identity element (the decoding of 32 zero bytes). */
    static RistrettoElement identity() {
        return new RistrettoElement(EdPoint.identity());
    }

    /**
     * RFC 9496 section 4.3.1 Decode with every validity check, but accepting the identity;
     * {@link #decodeElement} adds the RFC 9497 identity rejection.
     */
    static RistrettoElement decodeRaw(byte[] encoded) throws InvalidMessageException {
        if (encoded.length != ELEMENT_LENGTH) {
            throw new InvalidMessageException("ristretto255 element must be 32 bytes");
        }
        int[] s = Fe.create();
        X25519Field.decode255(encoded, 0, s, 0);
        byte[] canonical = Fe.toBytes(s);
        // toBytes clears bit 255 and reduces mod p, so any difference means a non-canonical input.
        if (!MessageDigest.isEqual(canonical, encoded) || (canonical[0] & 1) != 0) {
            throw new InvalidMessageException("ristretto255 element is not canonically encoded");
        }

        int[] ss = Fe.create();
        X25519Field.sqr(s, ss);
        int[] u1 = Fe.create();
        X25519Field.sub(Fe.ONE, ss, u1); // 1 - s^2
        int[] u2 = Fe.create();
        X25519Field.add(Fe.ONE, ss, u2); // 1 + s^2
        int[] u2Sqr = Fe.create();
        X25519Field.sqr(u2, u2Sqr);

        int[] v = Fe.create();
        X25519Field.sqr(u1, v);
        X25519Field.mul(v, Fe.D, v);
        X25519Field.negate(v, v);
        X25519Field.sub(v, u2Sqr, v); // -(D * u1^2) - u2^2
        X25519Field.carry(v);

        int[] invSqrt = Fe.create();
        int[] tmp = Fe.create();
        X25519Field.mul(v, u2Sqr, tmp);
        int wasSquare = Fe.sqrtRatioM1(Fe.ONE, tmp, invSqrt);

        int[] denX = Fe.create();
        X25519Field.mul(invSqrt, u2, denX);
        int[] denY = Fe.create();
        X25519Field.mul(invSqrt, denX, denY);
        X25519Field.mul(denY, v, denY);

        EdPoint p = new EdPoint();
        X25519Field.mul(s, denX, p.x);
        X25519Field.mul(p.x, 2, p.x);
        Fe.cabs(p.x); // |2 * s * den_x|
        X25519Field.mul(u1, denY, p.y);
        X25519Field.one(p.z);
        X25519Field.mul(p.x, p.y, p.t);

        int valid = wasSquare & ~Fe.negativeMask(p.t) & ~Fe.zeroMask(p.y);
        if (valid == 0) {
            throw new InvalidMessageException("not a valid ristretto255 element");
        }
        return new RistrettoElement(p);
    }

    /**
     * RFC 9496 section 4.3.4 element derivation: the one-way map of each 32-byte half, summed.
     * The input is typically secret (a hash of a password), so this is constant-time.
     */
    static RistrettoElement deriveElement(byte[] uniform) {
        if (uniform.length != 64) {
            throw new IllegalArgumentException("element derivation needs 64 bytes");
        }
        int[] t0 = Fe.create();
        int[] t1 = Fe.create();
        // decode255 ignores bit 255, which is the "mask the top bit" step of the RFC.
        X25519Field.decode255(uniform, 0, t0, 0);
        X25519Field.decode255(uniform, 32, t1, 0);
        EdPoint p = map(t0);
        EdPoint q = map(t1);
        Scratch w = new Scratch();
        p.add(Cached.of(q), w);
        Fe.wipe(t0, t1);
        return new RistrettoElement(p);
    }

    /** The MAP function of RFC 9496 section 4.3.4. */
    private static EdPoint map(int[] t) {
        int[] r = Fe.create();
        X25519Field.sqr(t, r);
        X25519Field.mul(r, Fe.SQRT_M1, r); // r = SQRT_M1 * t^2

        int[] u = Fe.create();
        X25519Field.copy(r, 0, u, 0);
        X25519Field.addOne(u);
        X25519Field.mul(u, Fe.ONE_MINUS_D_SQ, u); // u = (r + 1) * ONE_MINUS_D_SQ

        int[] v = Fe.create();
        int[] tmp = Fe.create();
        X25519Field.mul(r, Fe.D, v);
        X25519Field.negate(v, v);
        X25519Field.subOne(v); // -1 - r*D
        X25519Field.add(r, Fe.D, tmp); // r + D
        X25519Field.mul(v, tmp, v);

        int[] s = Fe.create();
        int wasSquare = Fe.sqrtRatioM1(u, v, s);

        int[] sPrime = Fe.create();
        X25519Field.mul(s, t, sPrime);
        Fe.cabs(sPrime);
        X25519Field.negate(sPrime, sPrime); // -|s * t|
        X25519Field.cmov(~wasSquare, sPrime, 0, s, 0);

        int[] c = Fe.create();
        X25519Field.copy(r, 0, c, 0);
        X25519Field.cmov(wasSquare, Fe.MINUS_ONE, 0, c, 0);

        int[] n = Fe.create();
        X25519Field.copy(r, 0, tmp, 0);
        X25519Field.subOne(tmp);
        X25519Field.mul(c, tmp, n);
        X25519Field.mul(n, Fe.D_MINUS_ONE_SQ, n);
        X25519Field.sub(n, v, n); // N = c * (r - 1) * D_MINUS_ONE_SQ - v

        int[] w0 = Fe.create();
        X25519Field.mul(s, v, w0);
        X25519Field.mul(w0, 2, w0); // 2 * s * v
        int[] w1 = Fe.create();
        X25519Field.mul(n, Fe.SQRT_AD_MINUS_ONE, w1);
        int[] ss = Fe.create();
        X25519Field.sqr(s, ss);
        int[] w2 = Fe.create();
        X25519Field.sub(Fe.ONE, ss, w2); // 1 - s^2
        int[] w3 = Fe.create();
        X25519Field.add(Fe.ONE, ss, w3); // 1 + s^2

        EdPoint p = new EdPoint();
        X25519Field.mul(w0, w3, p.x);
        X25519Field.mul(w2, w1, p.y);
        X25519Field.mul(w1, w3, p.z);
        X25519Field.mul(w0, w2, p.t);
        Fe.wipe(r, u, v, tmp, s, sPrime, c, n, w0, w1, ss, w2, w3);
        return p;
    }

    /** RFC 9496 section 4.3.2 Encode. */
    private static byte[] encode(EdPoint p) {
        int[] u1 = Fe.create();
        int[] tmp = Fe.create();
        X25519Field.add(p.z, p.y, u1);
        X25519Field.carry(u1);
        X25519Field.sub(p.z, p.y, tmp);
        X25519Field.mul(u1, tmp, u1); // (z + y) * (z - y)
        int[] u2 = Fe.create();
        X25519Field.mul(p.x, p.y, u2);

        int[] invSqrt = Fe.create();
        X25519Field.sqr(u2, tmp);
        X25519Field.mul(tmp, u1, tmp);
        Fe.sqrtRatioM1(Fe.ONE, tmp, invSqrt); // always square for a valid point

        int[] den1 = Fe.create();
        X25519Field.mul(invSqrt, u1, den1);
        int[] den2 = Fe.create();
        X25519Field.mul(invSqrt, u2, den2);
        int[] zInv = Fe.create();
        X25519Field.mul(den1, den2, zInv);
        X25519Field.mul(zInv, p.t, zInv);

        int[] x = Fe.create();
        int[] y = Fe.create();
        X25519Field.mul(p.x, Fe.SQRT_M1, y); // ix0, becomes y on rotation
        X25519Field.mul(p.y, Fe.SQRT_M1, x); // iy0, becomes x on rotation
        int[] denInv = Fe.create();
        X25519Field.mul(den1, Fe.INVSQRT_A_MINUS_D, denInv);

        X25519Field.mul(p.t, zInv, tmp);
        int rotate = Fe.negativeMask(tmp);
        X25519Field.cmov(~rotate, p.x, 0, x, 0);
        X25519Field.cmov(~rotate, p.y, 0, y, 0);
        X25519Field.cmov(~rotate, den2, 0, denInv, 0);

        X25519Field.mul(x, zInv, tmp);
        X25519Field.cnegate(Fe.negativeMask(tmp) & 1, y);

        int[] s = Fe.create();
        X25519Field.sub(p.z, y, s);
        X25519Field.mul(denInv, s, s);
        Fe.cabs(s);
        byte[] out = Fe.toBytes(s);
        Fe.wipe(u1, tmp, u2, invSqrt, den1, den2, zInv, x, y, denInv, s);
        return out;
    }

    private static EdPoint decodeConstant(String hex) {
        try {
            return decodeRaw(HexFormat.of().parseHex(hex)).point;
        } catch (InvalidMessageException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A ristretto255 element: an equivalence class of edwards25519 points, held as one representative. */
    static final class RistrettoElement implements Element {
        private final EdPoint point; // never mutated after construction

        private RistrettoElement(EdPoint point) {
            this.point = point;
        }

        @Override
        public byte[] encode() {
            return Ristretto255Group.encode(point);
        }

        @Override
        public RistrettoElement multiply(byte[] scalar) {
            return new RistrettoElement(EdPoint.multiply(point, scalar));
        }

        @Override
        public boolean isIdentity() {
            // (x, y) is equivalent to (0, 1) iff x == 0 or y == 0 (RFC 9496 4.3.3 with a = -1).
            return (Fe.zeroMask(point.x) | Fe.zeroMask(point.y)) != 0;
        }

        RistrettoElement add(RistrettoElement other) {
            EdPoint sum = point.copy();
            sum.add(Cached.of(other.point), new Scratch());
            return new RistrettoElement(sum);
        }

        /** RFC 9496 section 4.3.3 equality, constant-time. */
        @Override
        public boolean equals(Object o) {
            if (!(o instanceof RistrettoElement)) {
                return false;
            }
            EdPoint q = ((RistrettoElement) o).point;
            int[] l = Fe.create();
            int[] r = Fe.create();
            X25519Field.mul(point.x, q.y, l);
            X25519Field.mul(point.y, q.x, r);
            int same = Fe.equalMask(l, r);
            X25519Field.mul(point.y, q.y, l);
            X25519Field.mul(point.x, q.x, r);
            return (same | Fe.equalMask(l, r)) != 0;
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(encode());
        }
    }

    /**
     * Field helpers that need a fully reduced value (encoding, zero and sign tests, square
     * roots), plus the RFC 9496 constants.
     */
    static final class Fe {
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
        static final int[] SQRT_AD_MINUS_ONE =
                constant("1b2e7b49a0f6977ebd54781b0c8e9daffdd1f531c9fc3c0fac48832bbf316937");
        static final int[] INVSQRT_A_MINUS_D =
                constant("ea405d80aafdc899be72415a17162f9d40d801fe917bc216a2fcafcf05896c78");
        static final int[] ONE_MINUS_D_SQ =
                constant("76c15f94c1097ce20f355ecd38a1812ce4df70beddab9499d7e0b3b2a8729002");
        static final int[] D_MINUS_ONE_SQ =
                constant("204ded44aa5aad3199191eb02c4a9ed2eb4e9b522fd3dc4c41226cf67ab36859");

        private Fe() {}

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

    /** Scratch field elements for point formulas, so the hot loops do not allocate. */
    static final class Scratch {
        final int[] a = Fe.create();
        final int[] b = Fe.create();
        final int[] c = Fe.create();
        final int[] d = Fe.create();
        final int[] e = Fe.create();
        final int[] f = Fe.create();
        final int[] g = Fe.create();
        final int[] h = Fe.create();

        void wipe() {
            Fe.wipe(a, b, c, d, e, f, g, h);
        }
    }

    /**
     * A point prepared as the right-hand operand of an addition: (Y+X, Y-X, 2Z, 2dT).
     * Tables store these as 40 consecutive ints so that lookups can be masked copies.
     */
    static final class Cached {
        static final int INTS = 4 * X25519Field.SIZE;

        final int[] ypx = Fe.create();
        final int[] ymx = Fe.create();
        final int[] z2 = Fe.create();
        final int[] t2d = Fe.create();

        static Cached of(EdPoint p) {
            Cached c = new Cached();
            c.set(p);
            return c;
        }

        void set(EdPoint p) {
            X25519Field.add(p.y, p.x, ypx);
            X25519Field.carry(ypx);
            X25519Field.sub(p.y, p.x, ymx);
            X25519Field.carry(ymx);
            X25519Field.mul(p.z, 2, z2);
            X25519Field.mul(p.t, Fe.D2, t2d);
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
            Fe.wipe(ypx, ymx, z2, t2d);
        }
    }

    /**
     * An edwards25519 point (a = -1, d = -121665/121666) in extended coordinates (X:Y:Z:T) with
     * x = X/Z, y = Y/Z, xy = T/Z. The addition and doubling formulas are complete on this curve,
     * so no input needs a special case.
     */
    static final class EdPoint {
        private static final int WINDOWS = 64; // 4-bit windows over a 256-bit scalar

        final int[] x = Fe.create();
        final int[] y = Fe.create();
        final int[] z = Fe.create();
        final int[] t = Fe.create();

        static EdPoint identity() {
            EdPoint p = new EdPoint();
            X25519Field.one(p.y);
            X25519Field.one(p.z);
            return p;
        }

        EdPoint copy() {
            EdPoint p = new EdPoint();
            X25519Field.copy(x, 0, p.x, 0);
            X25519Field.copy(y, 0, p.y, 0);
            X25519Field.copy(z, 0, p.z, 0);
            X25519Field.copy(t, 0, p.t, 0);
            return p;
        }

        /** this += q (add-2008-hwcd-3 with k = 2d). */
        void add(Cached q, Scratch w) {
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
        void dbl(boolean withT, Scratch w) {
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
        static EdPoint multiply(EdPoint p, byte[] scalar) {
            int[] digits = nibbles(scalar);
            Scratch w = new Scratch();
            Cached entry = Cached.of(p);

            int[] table = new int[16 * Cached.INTS]; // table[j] = j * p
            EdPoint acc = identity();
            Cached accCached = new Cached();
            for (int j = 0; j < 16; j++) {
                accCached.set(acc);
                accCached.store(table, j);
                if (j < 15) {
                    acc.add(entry, w);
                }
            }

            EdPoint q = identity();
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
        static EdPoint multiplyGenerator(byte[] scalar) {
            int[] digits = nibbles(scalar);
            int[][] windows = GeneratorTable.WINDOWS;
            Scratch w = new Scratch();
            Cached entry = new Cached();
            EdPoint q = identity();
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

    /**
     * WINDOWS[i][j] = j * 16^i * generator in cached form, built on first use (about 1000
     * additions) so that code which never multiplies the generator does not pay for it.
     */
    private static final class GeneratorTable {
        static final int[][] WINDOWS = build();

        private static int[][] build() {
            int[][] windows = new int[EdPoint.WINDOWS][];
            Scratch w = new Scratch();
            Cached c = new Cached();
            EdPoint base = GENERATOR.copy();
            for (int i = 0; i < EdPoint.WINDOWS; i++) {
                Cached baseCached = Cached.of(base);
                int[] table = new int[16 * Cached.INTS];
                EdPoint acc = EdPoint.identity();
                for (int j = 0; j < 16; j++) {
                    c.set(acc);
                    c.store(table, j);
                    acc.add(baseCached, w);
                }
                windows[i] = table;
                base = acc; // 16 * base
            }
            return windows;
        }
    }
}
