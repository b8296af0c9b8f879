package dev.keyward.opaque;

import java.security.MessageDigest;
import java.security.SecureRandom;
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
 * <p>The explicit carries before some multiplications are there for the operand limits noted
 * on {@link Field25519}.
 */
final class Ristretto255Group implements PrimeOrderGroup {
    static final int ELEMENT_LENGTH = 32;

    static final Ristretto255Group INSTANCE = new Ristretto255Group();

    /** RFC 9496 A.1 B[1], the encoding of the generator. */
    static final EdwardsPoint GENERATOR =
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
        return new RistrettoElement(EdwardsPoint.multiplyGenerator(scalar));
    }

    /** The identity element (the decoding of 32 zero bytes). */
    static RistrettoElement identity() {
        return new RistrettoElement(EdwardsPoint.identity());
    }

    /**
     * RFC 9496 section 4.3.1 Decode with every validity check, but accepting the identity;
     * {@link #decodeElement} adds the RFC 9497 identity rejection.
     */
    static RistrettoElement decodeRaw(byte[] encoded) throws InvalidMessageException {
        if (encoded.length != ELEMENT_LENGTH) {
            throw new InvalidMessageException("ristretto255 element must be 32 bytes");
        }
        int[] s = Field25519.create();
        X25519Field.decode255(encoded, 0, s, 0);
        byte[] canonical = Field25519.toBytes(s);
        // toBytes clears bit 255 and reduces mod p, so any difference means a non-canonical input.
        if (!MessageDigest.isEqual(canonical, encoded) || (canonical[0] & 1) != 0) {
            throw new InvalidMessageException("ristretto255 element is not canonically encoded");
        }

        int[] ss = Field25519.create();
        X25519Field.sqr(s, ss);
        int[] u1 = Field25519.create();
        X25519Field.sub(Field25519.ONE, ss, u1); // 1 - s^2
        int[] u2 = Field25519.create();
        X25519Field.add(Field25519.ONE, ss, u2); // 1 + s^2
        int[] u2Sqr = Field25519.create();
        X25519Field.sqr(u2, u2Sqr);

        int[] v = Field25519.create();
        X25519Field.sqr(u1, v);
        X25519Field.mul(v, Field25519.D, v);
        X25519Field.negate(v, v);
        X25519Field.sub(v, u2Sqr, v); // -(D * u1^2) - u2^2
        X25519Field.carry(v);

        int[] invSqrt = Field25519.create();
        int[] tmp = Field25519.create();
        X25519Field.mul(v, u2Sqr, tmp);
        int wasSquare = Field25519.sqrtRatioM1(Field25519.ONE, tmp, invSqrt);

        int[] denX = Field25519.create();
        X25519Field.mul(invSqrt, u2, denX);
        int[] denY = Field25519.create();
        X25519Field.mul(invSqrt, denX, denY);
        X25519Field.mul(denY, v, denY);

        EdwardsPoint p = new EdwardsPoint();
        X25519Field.mul(s, denX, p.x);
        X25519Field.mul(p.x, 2, p.x);
        Field25519.cabs(p.x); // |2 * s * den_x|
        X25519Field.mul(u1, denY, p.y);
        X25519Field.one(p.z);
        X25519Field.mul(p.x, p.y, p.t);

        int valid = wasSquare & ~Field25519.negativeMask(p.t) & ~Field25519.zeroMask(p.y);
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
        int[] t0 = Field25519.create();
        int[] t1 = Field25519.create();
        // decode255 ignores bit 255, which is the "mask the top bit" step of the RFC.
        X25519Field.decode255(uniform, 0, t0, 0);
        X25519Field.decode255(uniform, 32, t1, 0);
        EdwardsPoint p = map(t0);
        EdwardsPoint q = map(t1);
        EdwardsScratch w = new EdwardsScratch();
        p.add(EdwardsCachedPoint.of(q), w);
        Field25519.wipe(t0, t1);
        return new RistrettoElement(p);
    }

    /** The MAP function of RFC 9496 section 4.3.4. */
    private static EdwardsPoint map(int[] t) {
        int[] r = Field25519.create();
        X25519Field.sqr(t, r);
        X25519Field.mul(r, Field25519.SQRT_M1, r); // r = SQRT_M1 * t^2

        int[] u = Field25519.create();
        X25519Field.copy(r, 0, u, 0);
        X25519Field.addOne(u);
        X25519Field.mul(u, Field25519.ONE_MINUS_D_SQ, u); // u = (r + 1) * ONE_MINUS_D_SQ

        int[] v = Field25519.create();
        int[] tmp = Field25519.create();
        X25519Field.mul(r, Field25519.D, v);
        X25519Field.negate(v, v);
        X25519Field.subOne(v); // -1 - r*D
        X25519Field.add(r, Field25519.D, tmp); // r + D
        X25519Field.mul(v, tmp, v);

        int[] s = Field25519.create();
        int wasSquare = Field25519.sqrtRatioM1(u, v, s);

        int[] sPrime = Field25519.create();
        X25519Field.mul(s, t, sPrime);
        Field25519.cabs(sPrime);
        X25519Field.negate(sPrime, sPrime); // -|s * t|
        X25519Field.cmov(~wasSquare, sPrime, 0, s, 0);

        int[] c = Field25519.create();
        X25519Field.copy(r, 0, c, 0);
        X25519Field.cmov(wasSquare, Field25519.MINUS_ONE, 0, c, 0);

        int[] n = Field25519.create();
        X25519Field.copy(r, 0, tmp, 0);
        X25519Field.subOne(tmp);
        X25519Field.mul(c, tmp, n);
        X25519Field.mul(n, Field25519.D_MINUS_ONE_SQ, n);
        X25519Field.sub(n, v, n); // N = c * (r - 1) * D_MINUS_ONE_SQ - v

        int[] w0 = Field25519.create();
        X25519Field.mul(s, v, w0);
        X25519Field.mul(w0, 2, w0); // 2 * s * v
        int[] w1 = Field25519.create();
        X25519Field.mul(n, Field25519.SQRT_AD_MINUS_ONE, w1);
        int[] ss = Field25519.create();
        X25519Field.sqr(s, ss);
        int[] w2 = Field25519.create();
        X25519Field.sub(Field25519.ONE, ss, w2); // 1 - s^2
        int[] w3 = Field25519.create();
        X25519Field.add(Field25519.ONE, ss, w3); // 1 + s^2

        EdwardsPoint p = new EdwardsPoint();
        X25519Field.mul(w0, w3, p.x);
        X25519Field.mul(w2, w1, p.y);
        X25519Field.mul(w1, w3, p.z);
        X25519Field.mul(w0, w2, p.t);
        Field25519.wipe(r, u, v, tmp, s, sPrime, c, n, w0, w1, ss, w2, w3);
        return p;
    }

    /** RFC 9496 section 4.3.2 Encode. */
    static byte[] encode(EdwardsPoint p) {
        int[] u1 = Field25519.create();
        int[] tmp = Field25519.create();
        X25519Field.add(p.z, p.y, u1);
        X25519Field.carry(u1);
        X25519Field.sub(p.z, p.y, tmp);
        X25519Field.mul(u1, tmp, u1); // (z + y) * (z - y)
        int[] u2 = Field25519.create();
        X25519Field.mul(p.x, p.y, u2);

        int[] invSqrt = Field25519.create();
        X25519Field.sqr(u2, tmp);
        X25519Field.mul(tmp, u1, tmp);
        Field25519.sqrtRatioM1(Field25519.ONE, tmp, invSqrt); // always square for a valid point

        int[] den1 = Field25519.create();
        X25519Field.mul(invSqrt, u1, den1);
        int[] den2 = Field25519.create();
        X25519Field.mul(invSqrt, u2, den2);
        int[] zInv = Field25519.create();
        X25519Field.mul(den1, den2, zInv);
        X25519Field.mul(zInv, p.t, zInv);

        int[] x = Field25519.create();
        int[] y = Field25519.create();
        X25519Field.mul(p.x, Field25519.SQRT_M1, y); // ix0, becomes y on rotation
        X25519Field.mul(p.y, Field25519.SQRT_M1, x); // iy0, becomes x on rotation
        int[] denInv = Field25519.create();
        X25519Field.mul(den1, Field25519.INVSQRT_A_MINUS_D, denInv);

        X25519Field.mul(p.t, zInv, tmp);
        int rotate = Field25519.negativeMask(tmp);
        X25519Field.cmov(~rotate, p.x, 0, x, 0);
        X25519Field.cmov(~rotate, p.y, 0, y, 0);
        X25519Field.cmov(~rotate, den2, 0, denInv, 0);

        X25519Field.mul(x, zInv, tmp);
        X25519Field.cnegate(Field25519.negativeMask(tmp) & 1, y);

        int[] s = Field25519.create();
        X25519Field.sub(p.z, y, s);
        X25519Field.mul(denInv, s, s);
        Field25519.cabs(s);
        byte[] out = Field25519.toBytes(s);
        Field25519.wipe(u1, tmp, u2, invSqrt, den1, den2, zInv, x, y, denInv, s);
        return out;
    }

    private static EdwardsPoint decodeConstant(String hex) {
        try {
            return decodeRaw(HexFormat.of().parseHex(hex)).point;
        } catch (InvalidMessageException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
}
