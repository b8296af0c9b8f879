package dev.keyward.opaque;

import static dev.keyward.opaque.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The X25519 key-exchange group of RFC 9807's curve25519 configuration. */
class X25519KeyExchangeTest {
    private static final X25519KeyExchange X = X25519KeyExchange.INSTANCE;

    // RFC 7748 section 6.1.
    private static final String ALICE_SK = "77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a";
    private static final String ALICE_PK = "8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a";
    private static final String BOB_SK = "5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb";
    private static final String BOB_PK = "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f";
    private static final String SHARED = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";

    @Test
    void rfc7748KeysAndSharedSecret() throws Exception {
        assertArrayEquals(
                hex(ALICE_PK), X.publicKey(X.derivePrivateKey(hex(ALICE_SK))).encode());
        assertArrayEquals(hex(BOB_PK), X.publicKey(hex(BOB_SK)).encode());
        assertArrayEquals(hex(SHARED), X.diffieHellman(hex(ALICE_SK), X.decodePublicKey(hex(BOB_PK))));
        assertArrayEquals(hex(SHARED), X.diffieHellman(hex(BOB_SK), X.decodePublicKey(hex(ALICE_PK))));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                // small-order points: 0, 1, the two points of order 8, p - 1
                "0000000000000000000000000000000000000000000000000000000000000000",
                "0100000000000000000000000000000000000000000000000000000000000000",
                "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
                "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
                "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                // non-canonical: p, p + 1, top bit set on a valid key
                "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882bcf",
                // wrong lengths
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b",
                "de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f00",
            })
    void rejectsSmallOrderNonCanonicalAndMisSizedKeys(String encoded) {
        assertThrows(InvalidMessageException.class, () -> X.decodePublicKey(hex(encoded)));
    }

    @Test
    void rejectsZeroAndMisSizedPrivateKeys() throws Exception {
        X.checkPrivateKey(hex(ALICE_SK));
        assertThrows(InvalidMessageException.class, () -> X.checkPrivateKey(new byte[32]));
        assertThrows(InvalidMessageException.class, () -> X.checkPrivateKey(new byte[31]));
        assertThrows(InvalidMessageException.class, () -> X.checkPrivateKey(null));
    }
}
