package dev.keyward.opaque;

import org.bouncycastle.math.ec.ECPoint;

/** A P-256 point held in affine form, so encoding never needs another inversion. */
final class P256Element implements PrimeOrderGroup.Element {
    private final ECPoint point;

    P256Element(ECPoint point) {
        this.point = point.normalize();
    }

    /**
     * The compressed SEC1 encoding. RFC 9497 gives the identity no encoding for P-256, and the
     * protocol rejects it before anything is serialized, so reaching here with it is a bug.
     */
    @Override
    public byte[] encode() {
        if (point.isInfinity()) {
            throw new IllegalStateException("the P-256 identity has no encoding");
        }
        return point.getEncoded(true);
    }

    @Override
    public PrimeOrderGroup.Element multiply(byte[] scalar) {
        return new P256Element(P256Group.multiply(point, scalar));
    }

    @Override
    public boolean isIdentity() {
        return point.isInfinity();
    }

    /** 04 || x || y, for checking both coordinates against the RFC 9380 vectors. */
    byte[] encodeUncompressed() {
        if (point.isInfinity()) {
            throw new IllegalStateException("the P-256 identity has no encoding");
        }
        return point.getEncoded(false);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof P256Element && point.equals(((P256Element) other).point);
    }

    @Override
    public int hashCode() {
        return point.hashCode();
    }
}
