package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.ECFieldElement;
import org.bouncycastle.math.ec.ECPoint;
import org.bouncycastle.util.BigIntegers;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

class P256GroupTest {
    private static final P256Group GROUP = P256Group.INSTANCE;
    private static final BigInteger P = P256Group.P;
    private static final BigInteger N = P256Group.N;
    private static final String SUITE = "P256-SHA256";
    private static final byte[] OPRF_MODE0_DST =
            Bytes.concat(Bytes.ascii("HashToGroup-OPRFV1-"), new byte[] {0}, Bytes.ascii("-" + SUITE));
    private static final String GENERATOR = "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296";

    // RFC 9380 appendix J.1.1 / J.1.2

    @TestFactory
    List<DynamicTest> hashToCurveRfc9380() {
        JsonNode root = TestVectors.load("h2c-rfc9380-P256_XMD-SHA-256_SSWU_RO.json");
        byte[] dst = Bytes.ascii(root.get("dst").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            byte[] msg = Bytes.ascii(v.get("msg").asText());
            tests.add(DynamicTest.dynamicTest("RO msg length " + msg.length, () -> {
                ECFieldElement[] u = P256HashToCurve.hashToField(msg, dst, 2);
                assertFieldElement(v.get("u").get(0), u[0], "u[0]");
                assertFieldElement(v.get("u").get(1), u[1], "u[1]");
                assertPoint(v.get("Q0"), P256HashToCurve.mapToCurve(u[0]), "Q0");
                assertPoint(v.get("Q1"), P256HashToCurve.mapToCurve(u[1]), "Q1");
                assertPoint(v.get("P"), P256HashToCurve.hashToCurve(msg, dst), "P");
                byte[] viaGroup = ((P256Element) GROUP.hashToGroup(msg, dst)).encodeUncompressed();
                assertEquals(uncompressed(v.get("P")), TestVectors.hex(viaGroup), "hashToGroup");
            }));
        }
        assertEquals(5, tests.size());
        return tests;
    }

    @TestFactory
    List<DynamicTest> encodeToCurveRfc9380() {
        JsonNode root = TestVectors.load("h2c-rfc9380-P256_XMD-SHA-256_SSWU_NU.json");
        byte[] dst = Bytes.ascii(root.get("dst").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("vectors")) {
            byte[] msg = Bytes.ascii(v.get("msg").asText());
            tests.add(DynamicTest.dynamicTest("NU msg length " + msg.length, () -> {
                ECFieldElement[] u = P256HashToCurve.hashToField(msg, dst, 1);
                assertFieldElement(v.get("u").get(0), u[0], "u[0]");
                assertPoint(v.get("Q"), P256HashToCurve.mapToCurve(u[0]), "Q");
                assertPoint(v.get("P"), P256HashToCurve.encodeToCurve(msg, dst), "P");
            }));
        }
        assertEquals(5, tests.size());
        return tests;
    }

    // oprf-hash-to-group-derived.json: HashToGroup with the RFC 9497 mode-0 DST

    @TestFactory
    List<DynamicTest> hashToGroupWithOprfDst() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : TestVectors.load("oprf-hash-to-group-derived.json").get("vectors")) {
            if (!SUITE.equals(v.get("suite").asText())) {
                continue;
            }
            tests.add(DynamicTest.dynamicTest("input " + v.get("input").asText(), () -> {
                byte[] dst = TestVectors.hex(v.get("DST_hex").asText());
                assertArrayEquals(OPRF_MODE0_DST, dst);
                PrimeOrderGroup.Element element =
                        GROUP.hashToGroup(TestVectors.hex(v.get("input").asText()), dst);
                assertEquals(v.get("element").asText(), TestVectors.hex(element.encode()));
                byte[] blind = TestVectors.hex(v.get("official_blind").asText());
                assertEquals(
                        v.get("official_blinded_element").asText(),
                        TestVectors.hex(element.multiply(blind).encode()));
            }));
        }
        assertEquals(2, tests.size());
        return tests;
    }

    // RFC 9497 appendix A.3 (P256-SHA256)

    @TestFactory
    List<DynamicTest> oprfMode0Rfc9497() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode suite : TestVectors.load("oprf-rfc9497.json")) {
            if (!SUITE.equals(suite.get("identifier").asText())
                    || suite.get("mode").asInt() != 0) {
                continue;
            }
            assertArrayEquals(
                    OPRF_MODE0_DST, TestVectors.hex(suite.get("groupDST").asText()));
            byte[] skSm = TestVectors.hex(suite.get("skSm").asText());
            for (JsonNode v : suite.get("vectors")) {
                tests.add(DynamicTest.dynamicTest("input " + v.get("Input").asText(), () -> {
                    assertEquals(1, v.get("Batch").asInt());
                    byte[] blind = TestVectors.hex(v.get("Blind").asText());
                    GROUP.checkScalar(blind);
                    GROUP.checkScalar(skSm);
                    PrimeOrderGroup.Element input =
                            GROUP.hashToGroup(TestVectors.hex(v.get("Input").asText()), OPRF_MODE0_DST);
                    byte[] blinded = input.multiply(blind).encode();
                    assertEquals(v.get("BlindedElement").asText(), TestVectors.hex(blinded));

                    PrimeOrderGroup.Element received = GROUP.decodeElement(blinded);
                    assertEquals(
                            v.get("EvaluationElement").asText(),
                            TestVectors.hex(received.multiply(skSm).encode()));
                    // Unblinding gives skSm * H(input), which is what Finalize hashes.
                    PrimeOrderGroup.Element evaluated = GROUP.decodeElement(
                            TestVectors.hex(v.get("EvaluationElement").asText()));
                    assertEquals(
                            TestVectors.hex(input.multiply(skSm).encode()),
                            TestVectors.hex(evaluated
                                    .multiply(GROUP.invertScalar(blind))
                                    .encode()));
                }));
            }
        }
        assertEquals(2, tests.size());
        return tests;
    }

    /** RFC 9497 DeriveKeyPair exercises hashToScalar against every P-256 skSm (and pkSm). */
    @TestFactory
    List<DynamicTest> deriveKeyPairRfc9497() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode suite : TestVectors.load("oprf-rfc9497.json")) {
            if (!SUITE.equals(suite.get("identifier").asText())) {
                continue;
            }
            int mode = suite.get("mode").asInt();
            tests.add(DynamicTest.dynamicTest("mode " + mode, () -> {
                byte[] context =
                        Bytes.concat(Bytes.ascii("OPRFV1-"), new byte[] {(byte) mode}, Bytes.ascii("-" + SUITE));
                byte[] info = TestVectors.hex(suite.get("keyInfo").asText());
                byte[] deriveInput =
                        Bytes.concat(TestVectors.hex(suite.get("seed").asText()), Bytes.lengthPrefixed16(info));
                byte[] dst = Bytes.concat(Bytes.ascii("DeriveKeyPair"), context);
                byte[] skS = new byte[32];
                for (int counter = 0; Arrays.equals(skS, new byte[32]); counter++) {
                    assertTrue(counter < 256, "DeriveKeyPairError");
                    skS = GROUP.hashToScalar(Bytes.concat(deriveInput, new byte[] {(byte) counter}), dst);
                }
                assertEquals(suite.get("skSm").asText(), TestVectors.hex(skS));
                if (suite.has("pkSm")) {
                    assertEquals(
                            suite.get("pkSm").asText(),
                            TestVectors.hex(GROUP.multiplyGenerator(skS).encode()));
                }
            }));
        }
        assertEquals(3, tests.size());
        return tests;
    }

    // The map against a direct transcription of RFC 9380 section 6.6.2, off the vector inputs

    @Test
    void mapMatchesStraightforwardSswu() {
        Random random = new Random(9380);
        for (int i = 0; i < 300; i++) {
            BigInteger u = new BigInteger(256, random).mod(P);
            assertMapMatchesReference(u);
        }
    }

    @Test
    void mapHandlesExceptionalInputs() {
        // u = 0 and u^2 = -1/Z both make Z^2 u^4 + Z u^2 vanish.
        BigInteger inverseOfTen = BigInteger.TEN.modInverse(P);
        BigInteger root = inverseOfTen.modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        assertEquals(inverseOfTen, root.multiply(root).mod(P));
        for (BigInteger u : List.of(BigInteger.ZERO, root, P.subtract(root))) {
            assertMapMatchesReference(u);
        }
    }

    @Test
    void sqrtRatioAgreesWithDefinition() {
        Random random = new Random(1);
        BigInteger z = P.subtract(BigInteger.TEN);
        int squares = 0;
        for (int i = 0; i < 100; i++) {
            BigInteger u = new BigInteger(256, random).mod(P);
            BigInteger v = new BigInteger(256, random).mod(P).max(BigInteger.ONE);
            P256HashToCurve.SqrtRatio r = P256HashToCurve.sqrtRatio(fe(u), fe(v));
            BigInteger ratio = u.multiply(v.modInverse(P)).mod(P);
            BigInteger y = r.value.toBigInteger();
            boolean square = isSquare(ratio);
            assertEquals(square ? 1 : 0, r.isSquare);
            assertEquals(
                    square ? ratio : z.multiply(ratio).mod(P), y.multiply(y).mod(P));
            squares += r.isSquare;
        }
        assertTrue(squares > 20 && squares < 80, "both branches exercised");
    }

    // Encoding, decoding and scalars

    @Test
    void generatorEncodingAndRoundTrip() throws InvalidMessageException {
        PrimeOrderGroup.Element g = GROUP.multiplyGenerator(one());
        assertEquals(GENERATOR, TestVectors.hex(g.encode()));
        assertFalse(g.isIdentity());
        PrimeOrderGroup.Element decoded = GROUP.decodeElement(g.encode());
        assertEquals(g, decoded);
        assertEquals(33, GROUP.elementLength());
        assertEquals(32, GROUP.scalarLength());
    }

    @Test
    void multiplyAgreesWithMultiplyGenerator() throws InvalidMessageException {
        SecureRandom random = new SecureRandom();
        PrimeOrderGroup.Element g = GROUP.decodeElement(TestVectors.hex(GENERATOR));
        for (int i = 0; i < 20; i++) {
            byte[] a = GROUP.randomScalar(random);
            byte[] b = GROUP.randomScalar(random);
            GROUP.checkScalar(a);
            assertArrayEquals(GROUP.multiplyGenerator(a).encode(), g.multiply(a).encode());
            byte[] ab = BigIntegers.asUnsignedByteArray(
                    32, new BigInteger(1, a).multiply(new BigInteger(1, b)).mod(N));
            assertArrayEquals(
                    GROUP.multiplyGenerator(ab).encode(),
                    g.multiply(a).multiply(b).encode());
            assertArrayEquals(
                    g.encode(), g.multiply(a).multiply(GROUP.invertScalar(a)).encode());
        }
    }

    @Test
    void multiplyByOrderMinusOneNegates() {
        byte[] nMinusOne = BigIntegers.asUnsignedByteArray(32, N.subtract(BigInteger.ONE));
        byte[] encoded = GROUP.multiplyGenerator(nMinusOne).encode();
        byte[] g = TestVectors.hex(GENERATOR);
        assertEquals(g[0] ^ 1, encoded[0]);
        assertArrayEquals(Arrays.copyOfRange(g, 1, 33), Arrays.copyOfRange(encoded, 1, 33));
    }

    @Test
    void zeroScalarGivesIdentityWhichHasNoEncoding() {
        PrimeOrderGroup.Element identity = GROUP.multiplyGenerator(new byte[32]);
        assertTrue(identity.isIdentity());
        assertThrows(IllegalStateException.class, identity::encode);
    }

    @Test
    void unreducedScalarsAreRefusedByArithmetic() {
        byte[] n = BigIntegers.asUnsignedByteArray(32, N);
        assertThrows(IllegalArgumentException.class, () -> GROUP.multiplyGenerator(n));
        assertThrows(IllegalArgumentException.class, () -> GROUP.multiplyGenerator(new byte[31]));
        assertThrows(IllegalArgumentException.class, () -> GROUP.invertScalar(n));
    }

    @Test
    void decodeRejectsWrongLengths() {
        byte[] g = TestVectors.hex(GENERATOR);
        assertRejected(null);
        assertRejected(new byte[0]);
        assertRejected(Arrays.copyOf(g, 32));
        assertRejected(Arrays.copyOf(g, 34));
        byte[] uncompressed = ((P256Element) GROUP.multiplyGenerator(one())).encodeUncompressed();
        assertEquals(65, uncompressed.length);
        assertRejected(uncompressed);
    }

    @Test
    void decodeRejectsOtherPrefixes() {
        byte[] g = TestVectors.hex(GENERATOR);
        for (int prefix : new int[] {0x00, 0x01, 0x04, 0x05, 0x06, 0x07, 0x82, 0xff}) {
            byte[] bad = g.clone();
            bad[0] = (byte) prefix;
            assertRejected(bad);
        }
    }

    @Test
    void decodeRejectsUnreducedX() {
        for (BigInteger x :
                List.of(P, P.add(BigInteger.ONE), BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE))) {
            for (int prefix : new int[] {0x02, 0x03}) {
                byte[] bad = Bytes.concat(new byte[] {(byte) prefix}, BigIntegers.asUnsignedByteArray(32, x));
                assertRejected(bad);
            }
        }
        // p + 3 would reduce to x = 3; the unreduced form is rejected whether or not 3 is on the curve.
        assertRejected(Bytes.concat(new byte[] {2}, BigIntegers.asUnsignedByteArray(32, P.add(BigInteger.valueOf(3)))));
    }

    @Test
    void decodeRejectsXOffTheCurve() {
        BigInteger x = BigInteger.ZERO;
        while (isSquare(curveRhs(x))) {
            x = x.add(BigInteger.ONE);
        }
        for (int prefix : new int[] {0x02, 0x03}) {
            assertRejected(Bytes.concat(new byte[] {(byte) prefix}, BigIntegers.asUnsignedByteArray(32, x)));
        }
    }

    @Test
    void decodeRejectsIdentityLikeEncodings() {
        assertRejected(new byte[33]);
        assertRejected(new byte[1]);
        byte[] allOnes = new byte[33];
        Arrays.fill(allOnes, (byte) 0xff);
        assertRejected(allOnes);
    }

    @Test
    void decodeOnlyEverThrowsInvalidMessage() {
        Random random = new Random(97);
        int accepted = 0;
        for (int i = 0; i < 200; i++) {
            byte[] candidate = new byte[33];
            random.nextBytes(candidate);
            candidate[0] = (byte) (2 + (i & 1));
            try {
                assertArrayEquals(candidate, GROUP.decodeElement(candidate).encode());
                accepted++;
            } catch (InvalidMessageException expected) {
                assertNotNull(expected.getMessage());
            }
        }
        assertTrue(accepted > 50 && accepted < 150, "about half of all x are on the curve");
    }

    @Test
    void checkScalarBounds() {
        byte[] n = BigIntegers.asUnsignedByteArray(32, N);
        assertScalarRejected(null);
        assertScalarRejected(new byte[0]);
        assertScalarRejected(new byte[31]);
        assertScalarRejected(new byte[33]);
        assertScalarRejected(new byte[32]);
        assertScalarRejected(n);
        assertScalarRejected(BigIntegers.asUnsignedByteArray(32, N.add(BigInteger.ONE)));
        byte[] max = new byte[32];
        Arrays.fill(max, (byte) 0xff);
        assertScalarRejected(max);
        byte[] one33 = new byte[33];
        one33[32] = 1;
        assertScalarRejected(one33);
        assertDoesNotThrow(() -> GROUP.checkScalar(one()));
        assertDoesNotThrow(() -> GROUP.checkScalar(BigIntegers.asUnsignedByteArray(32, N.subtract(BigInteger.ONE))));
    }

    @Test
    void hashToScalarIsReducedAndDeterministic() {
        byte[] dst = Bytes.ascii("HashToScalar-test");
        byte[] s = GROUP.hashToScalar(Bytes.ascii("abc"), dst);
        assertEquals(32, s.length);
        assertTrue(new BigInteger(1, s).compareTo(N) < 0);
        assertArrayEquals(s, GROUP.hashToScalar(Bytes.ascii("abc"), dst));
        BigInteger expected = new BigInteger(1, ExpandMessageXmd.SHA256.expand(Bytes.ascii("abc"), dst, 48)).mod(N);
        assertEquals(expected, new BigInteger(1, s));
    }

    @Test
    void invertScalarIsModularInverse() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++) {
            byte[] s = GROUP.randomScalar(random);
            BigInteger inverse = new BigInteger(1, GROUP.invertScalar(s));
            assertEquals(BigInteger.ONE, inverse.multiply(new BigInteger(1, s)).mod(N));
        }
    }

    // helpers

    private static void assertMapMatchesReference(BigInteger u) {
        BigInteger[] expected = referenceSswu(u);
        ECPoint actual = P256HashToCurve.mapToCurve(fe(u));
        assertEquals(expected[0], actual.getAffineXCoord().toBigInteger(), "x for u = " + u.toString(16));
        assertEquals(expected[1], actual.getAffineYCoord().toBigInteger(), "y for u = " + u.toString(16));
    }

    /** RFC 9380 section 6.6.2, step by step, in BigInteger. */
    private static BigInteger[] referenceSswu(BigInteger u) {
        BigInteger a = P.subtract(BigInteger.valueOf(3));
        BigInteger b = P256Group.CURVE.getB().toBigInteger();
        BigInteger z = P.subtract(BigInteger.TEN);
        BigInteger zu2 = z.multiply(u.pow(2)).mod(P);
        BigInteger denominator = zu2.pow(2).add(zu2).mod(P);
        BigInteger tv1 = denominator.signum() == 0 ? BigInteger.ZERO : denominator.modInverse(P);
        BigInteger x1 = b.negate()
                .multiply(a.modInverse(P))
                .multiply(BigInteger.ONE.add(tv1))
                .mod(P);
        if (tv1.signum() == 0) {
            x1 = b.multiply(z.multiply(a).modInverse(P)).mod(P);
        }
        BigInteger x2 = zu2.multiply(x1).mod(P);
        BigInteger x = isSquare(curveRhs(x1)) ? x1 : x2;
        BigInteger y = curveRhs(x).modPow(P.add(BigInteger.ONE).shiftRight(2), P);
        if (u.testBit(0) != y.testBit(0)) {
            y = P.subtract(y).mod(P);
        }
        return new BigInteger[] {x, y};
    }

    private static BigInteger curveRhs(BigInteger x) {
        BigInteger b = P256Group.CURVE.getB().toBigInteger();
        return x.pow(3).subtract(x.multiply(BigInteger.valueOf(3))).add(b).mod(P);
    }

    private static boolean isSquare(BigInteger v) {
        return v.signum() == 0 || v.modPow(P.shiftRight(1), P).equals(BigInteger.ONE);
    }

    private static ECFieldElement fe(BigInteger v) {
        return P256Group.CURVE.fromBigInteger(v);
    }

    private static byte[] one() {
        byte[] one = new byte[32];
        one[31] = 1;
        return one;
    }

    private static void assertFieldElement(JsonNode expected, ECFieldElement actual, String what) {
        assertEquals(TestVectors.hex(TestVectors.hex(expected.asText())), TestVectors.hex(actual.getEncoded()), what);
    }

    private static void assertPoint(JsonNode expected, ECPoint actual, String what) {
        assertEquals(uncompressed(expected), TestVectors.hex(actual.normalize().getEncoded(false)), what);
    }

    private static String uncompressed(JsonNode point) {
        return "04" + TestVectors.hex(TestVectors.hex(point.get("x").asText()))
                + TestVectors.hex(TestVectors.hex(point.get("y").asText()));
    }

    private static void assertRejected(byte[] encoded) {
        InvalidMessageException e = assertThrows(InvalidMessageException.class, () -> GROUP.decodeElement(encoded));
        assertNotNull(e.getMessage());
    }

    private static void assertScalarRejected(byte[] scalar) {
        assertThrows(InvalidMessageException.class, () -> GROUP.checkScalar(scalar));
    }
}
