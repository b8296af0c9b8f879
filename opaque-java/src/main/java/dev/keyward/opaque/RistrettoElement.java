package dev.keyward.opaque;

import java.util.Arrays;
import org.bouncycastle.math.ec.rfc7748.X25519Field;

/** A ristretto255 element: an equivalence class of edwards25519 points, held as one representative. */
final class RistrettoElement implements PrimeOrderGroup.Element {
    final EdwardsPoint point; // never mutated after construction

    RistrettoElement(EdwardsPoint point) {
        this.point = point;
    }

    @Override
    public byte[] encode() {
        return Ristretto255Group.encode(point);
    }

    @Override
    public RistrettoElement multiply(byte[] scalar) {
        return new RistrettoElement(EdwardsPoint.multiply(point, scalar));
    }

    @Override
    public boolean isIdentity() {
        // (x, y) is equivalent to (0, 1) iff x == 0 or y == 0 (RFC 9496 4.3.3 with a = -1).
        return (Field25519.zeroMask(point.x) | Field25519.zeroMask(point.y)) != 0;
    }

    RistrettoElement add(RistrettoElement other) {
        EdwardsPoint sum = point.copy();
        sum.add(EdwardsCachedPoint.of(other.point), new EdwardsScratch());
        return new RistrettoElement(sum);
    }

    /** RFC 9496 section 4.3.3 equality, constant-time. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof RistrettoElement)) {
            return false;
        }
        EdwardsPoint q = ((RistrettoElement) o).point;
        int[] l = Field25519.create();
        int[] r = Field25519.create();
        X25519Field.mul(point.x, q.y, l);
        X25519Field.mul(point.y, q.x, r);
        int same = Field25519.equalMask(l, r);
        X25519Field.mul(point.y, q.y, l);
        X25519Field.mul(point.x, q.x, r);
        return (same | Field25519.equalMask(l, r)) != 0;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encode());
    }
}
