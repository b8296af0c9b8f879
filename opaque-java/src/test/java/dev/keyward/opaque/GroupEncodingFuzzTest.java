package dev.keyward.opaque;

import static dev.keyward.opaque.FuzzSupport.assertCanonical;
import static dev.keyward.opaque.FuzzSupport.parsedOrNull;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Jazzer fuzz targets for the group-level checks every message parser relies on, each input
 * tried against every suite: element decoding (RFC 9497 DeserializeElement), the scalar check
 * used for the server's private key, and key-exchange public-key decoding (which for the
 * X25519 suite is its own code, not the OPRF group's). Seeds: RFC 9496 generator multiples and invalid
 * encodings, RFC 9380 P-256 points (compressed, negated, uncompressed), x = p, x + p, off-curve
 * x, the SEC1 infinity byte, and scalars 0, 1, order - 1, order, order + 1, 2^256 - 1.
 */
class GroupEncodingFuzzTest {

    @FuzzTest
    void decodeElement(byte[] input) {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            PrimeOrderGroup group = suite.group();
            PrimeOrderGroup.Element element = parsedOrNull(() -> group.decodeElement(input));
            if (element != null) {
                assertCanonical(input, element.encode());
                assertFalse(element.isIdentity(), "decoded the identity");
            }
        }
    }

    @FuzzTest
    void checkScalar(byte[] input) {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            PrimeOrderGroup group = suite.group();
            byte[] scalar = parsedOrNull(() -> {
                group.checkScalar(input);
                return input;
            });
            if (scalar != null) {
                // Accepted means 0 < s < order: s*G is not the identity and s has an inverse.
                assertEquals(group.scalarLength(), scalar.length);
                PrimeOrderGroup.Element point = group.multiplyGenerator(scalar);
                assertFalse(point.isIdentity(), "accepted scalar is zero modulo the order");
                byte[] generator = group.multiplyGenerator(one(suite)).encode();
                assertArrayEquals(
                        generator, point.multiply(group.invertScalar(scalar)).encode(), "s * G * s^-1 != G");
            }
        }
    }

    @FuzzTest
    void decodePublicKey(byte[] input) {
        for (OpaqueSuite suite : OpaqueSuite.values()) {
            KeyExchangeGroup ake = suite.keyExchange();
            KeyExchangeGroup.PublicKey key = parsedOrNull(() -> ake.decodePublicKey(input));
            if (key != null) {
                assertCanonical(input, key.encode());
                // An accepted key must give a usable (never all-zero) shared secret.
                byte[] shared = ake.diffieHellman(ake.derivePrivateKey(SEED), key);
                assertFalse(Arrays.equals(shared, new byte[shared.length]), "all-zero shared secret");
            }
        }
    }

    private static final byte[] SEED = new byte[32];

    static {
        Arrays.fill(SEED, (byte) 7);
    }

    /** The scalar 1 in the suite's byte order: little-endian for ristretto255, big-endian for P-256. */
    private static byte[] one(OpaqueSuite suite) {
        byte[] one = new byte[suite.group().scalarLength()];
        one[suite.group() instanceof P256Group ? one.length - 1 : 0] = 1;
        return one;
    }
}
