package dev.keyward.opaque;

import static dev.keyward.opaque.TestVectors.hex;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.opaque.PrimeOrderGroup.Element;
import java.math.BigInteger;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.bouncycastle.math.ec.rfc7748.X25519Field;
import org.junit.jupiter.api.Test;

class Ristretto255GroupTest {
    private static final Ristretto255Group GROUP = Ristretto255Group.INSTANCE;
    private static final BigInteger L =
            BigInteger.ONE.shiftLeft(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final JsonNode RFC9496 = TestVectors.load("ristretto255-rfc9496.json");

    // ---- RFC 9496 Appendix A ----

    @Test
    void multiplesOfGeneratorMatchRfc9496() {
        JsonNode vectors = RFC9496.get("multiples_of_generator").get("vectors");
        assertEquals(16, vectors.size());
        RistrettoElement b = (RistrettoElement) GROUP.multiplyGenerator(scalarOf(1));
        RistrettoElement sum = Ristretto255Group.identity();
        for (JsonNode v : vectors) {
            int i = v.get("multiple").asInt();
            String expected = v.get("encoding").asText();
            assertEquals(expected, hex(GROUP.multiplyGenerator(scalarOf(i)).encode()), "multiplyGenerator " + i);
            assertEquals(expected, hex(b.multiply(scalarOf(i)).encode()), "multiply " + i);
            assertEquals(expected, hex(sum.encode()), "repeated addition " + i);
            sum = sum.add(b);
        }
    }

    @Test
    void multiplesOfGeneratorRoundTripThroughDecode() throws Exception {
        for (JsonNode v : RFC9496.get("multiples_of_generator").get("vectors")) {
            int i = v.get("multiple").asInt();
            byte[] encoding = hex(v.get("encoding").asText());
            RistrettoElement raw = Ristretto255Group.decodeRaw(encoding);
            assertArrayEquals(encoding, raw.encode(), "raw decode/encode " + i);
            assertEquals(GROUP.multiplyGenerator(scalarOf(i)), raw, "equality " + i);
            assertEquals(i == 0, raw.isIdentity(), "isIdentity " + i);
            if (i == 0) {
                assertThrows(InvalidMessageException.class, () -> GROUP.decodeElement(encoding));
            } else {
                assertArrayEquals(encoding, GROUP.decodeElement(encoding).encode(), "decode/encode " + i);
            }
        }
    }

    @Test
    void invalidEncodingsAreRejected() {
        JsonNode vectors = RFC9496.get("invalid_encodings").get("vectors");
        assertEquals(29, vectors.size());
        for (JsonNode v : vectors) {
            byte[] encoding = hex(v.get("encoding").asText());
            String what = v.get("reason").asText() + " " + v.get("encoding").asText();
            assertThrows(InvalidMessageException.class, () -> Ristretto255Group.decodeRaw(encoding), what);
            assertThrows(InvalidMessageException.class, () -> GROUP.decodeElement(encoding), what);
        }
    }

    @Test
    void elementDerivationMatchesRfc9496() {
        JsonNode vectors = RFC9496.get("element_derivation").get("vectors");
        assertEquals(7, vectors.size());
        for (JsonNode v : vectors) {
            byte[] out = Ristretto255Group.deriveElement(hex(v.get("input").asText()))
                    .encode();
            assertEquals(v.get("output").asText(), hex(out), v.get("input").asText());
        }
    }

    @Test
    void elementDerivationSameOutput() {
        JsonNode same = RFC9496.get("element_derivation_same_output");
        assertEquals(4, same.get("inputs").size());
        for (JsonNode input : same.get("inputs")) {
            byte[] out = Ristretto255Group.deriveElement(hex(input.asText())).encode();
            assertEquals(same.get("output").asText(), hex(out), input.asText());
        }
    }

    @Test
    void sqrtRatioM1MatchesRfc9496() {
        JsonNode vectors = RFC9496.get("sqrt_ratio_m1").get("vectors");
        assertEquals(6, vectors.size());
        for (JsonNode v : vectors) {
            int[] u = fieldElement(v.get("u").asText());
            int[] w = fieldElement(v.get("v").asText());
            int[] r = X25519Field.create();
            int wasSquare = Field25519.sqrtRatioM1(u, w, r);
            String what = "u=" + v.get("u").asText() + " v=" + v.get("v").asText();
            assertEquals(v.get("was_square").asBoolean() ? -1 : 0, wasSquare, what);
            assertEquals(v.get("r").asText(), hex(Field25519.toBytes(r)), what);
        }
    }

    // ---- RFC 9497 / RFC 9380 ----

    @Test
    void hashToGroupMatchesDerivedOprfVectors() throws Exception {
        int checked = 0;
        for (JsonNode v : TestVectors.load("oprf-hash-to-group-derived.json").get("vectors")) {
            if (!v.get("suite").asText().equals("ristretto255-SHA512")) {
                continue;
            }
            byte[] input = hex(v.get("input").asText());
            byte[] dst = hex(v.get("DST_hex").asText());
            assertEquals(
                    v.get("uniform_bytes_expand_message_xmd_sha512_64").asText(),
                    hex(ExpandMessageXmd.SHA512.expand(input, dst, 64)));
            Element element = GROUP.hashToGroup(input, dst);
            assertEquals(v.get("element").asText(), hex(element.encode()));
            byte[] blind = hex(v.get("official_blind").asText());
            GROUP.checkScalar(blind);
            assertEquals(
                    v.get("official_blinded_element").asText(),
                    hex(element.multiply(blind).encode()));
            checked++;
        }
        assertEquals(2, checked);
    }

    @Test
    void oprfEvaluationMatchesRfc9497() throws Exception {
        int checked = 0;
        for (JsonNode suite : ristrettoSuites()) {
            int mode = suite.get("mode").asInt();
            if (mode == 2) {
                continue; // POPRF evaluates with an inverse: poprfEvaluationMatchesRfc9497
            }
            byte[] sk = hex(suite.get("skSm").asText());
            GROUP.checkScalar(sk);
            for (JsonNode v : suite.get("vectors")) {
                String[] blinded = v.get("BlindedElement").asText().split(",");
                String[] evaluated = v.get("EvaluationElement").asText().split(",");
                for (int k = 0; k < blinded.length; k++) {
                    Element b = GROUP.decodeElement(hex(blinded[k]));
                    assertEquals(evaluated[k], hex(b.multiply(sk).encode()), "mode " + mode + " " + blinded[k]);
                    checked++;
                }
            }
        }
        assertTrue(checked >= 2);
    }

    @Test
    void oprfBlindingMatchesRfc9497() throws Exception {
        int checked = 0;
        for (JsonNode suite : ristrettoSuites()) {
            byte[] dst = hex(suite.get("groupDST").asText());
            for (JsonNode v : suite.get("vectors")) {
                String[] inputs = v.get("Input").asText().split(",");
                String[] blinds = v.get("Blind").asText().split(",");
                String[] blinded = v.get("BlindedElement").asText().split(",");
                for (int k = 0; k < inputs.length; k++) {
                    byte[] blind = hex(blinds[k]);
                    GROUP.checkScalar(blind);
                    Element h = GROUP.hashToGroup(hex(inputs[k]), dst);
                    assertEquals(blinded[k], hex(h.multiply(blind).encode()));
                    checked++;
                }
            }
        }
        assertEquals(10, checked); // 2 inputs in mode 0, 4 in each of modes 1 and 2
    }

    @Test
    void deriveKeyPairMatchesRfc9497() {
        for (JsonNode suite : ristrettoSuites()) {
            byte[] context = contextString(suite);
            byte[] dst = Bytes.concat(Bytes.ascii("DeriveKeyPair"), context);
            byte[] deriveInput = Bytes.concat(
                    hex(suite.get("seed").asText()),
                    Bytes.lengthPrefixed16(hex(suite.get("keyInfo").asText())));
            byte[] sk = new byte[32];
            for (int counter = 0; Scalar25519Mod.isZero(sk); counter++) {
                sk = GROUP.hashToScalar(Bytes.concat(deriveInput, new byte[] {(byte) counter}), dst);
            }
            assertEquals(suite.get("skSm").asText(), hex(sk));
            if (suite.has("pkSm")) {
                assertEquals(
                        suite.get("pkSm").asText(),
                        hex(GROUP.multiplyGenerator(sk).encode()));
            }
        }
    }

    @Test
    void poprfEvaluationMatchesRfc9497() throws Exception {
        int checked = 0;
        for (JsonNode suite : ristrettoSuites()) {
            if (suite.get("mode").asInt() != 2) {
                continue;
            }
            byte[] dst = Bytes.concat(Bytes.ascii("HashToScalar-"), contextString(suite));
            BigInteger sk = littleEndian(hex(suite.get("skSm").asText()));
            for (JsonNode v : suite.get("vectors")) {
                byte[] framedInfo = Bytes.concat(
                        Bytes.ascii("Info"),
                        Bytes.lengthPrefixed16(hex(v.get("Info").asText())));
                BigInteger m = littleEndian(GROUP.hashToScalar(framedInfo, dst));
                byte[] inverse = GROUP.invertScalar(toLittleEndian(sk.add(m).mod(L)));
                String[] blinded = v.get("BlindedElement").asText().split(",");
                String[] evaluated = v.get("EvaluationElement").asText().split(",");
                for (int k = 0; k < blinded.length; k++) {
                    Element b = GROUP.decodeElement(hex(blinded[k]));
                    assertEquals(evaluated[k], hex(b.multiply(inverse).encode()));
                    checked++;
                }
            }
        }
        assertEquals(4, checked);
    }

    // ---- properties ----

    @Test
    void inverseScalarUndoesMultiplication() {
        SecureRandom random = new SecureRandom();
        for (int i = 0; i < 20; i++) {
            byte[] s = GROUP.randomScalar(random);
            Element p = GROUP.hashToGroup(Bytes.ascii("point " + i), Bytes.ascii("test-DST"));
            Element q = p.multiply(s);
            assertNotEquals(p, q);
            assertArrayEquals(p.encode(), q.multiply(GROUP.invertScalar(s)).encode());
            assertEquals(
                    BigInteger.ONE,
                    littleEndian(s)
                            .multiply(littleEndian(GROUP.invertScalar(s)))
                            .mod(L));
        }
        assertThrows(IllegalArgumentException.class, () -> GROUP.invertScalar(new byte[32]));
        assertThrows(IllegalArgumentException.class, () -> GROUP.invertScalar(toLittleEndian(L)));
    }

    @Test
    void scalarReductionMatchesBigInteger() {
        Random random = new Random(9496);
        List<byte[]> inputs = new ArrayList<>();
        byte[] ones = new byte[64];
        Arrays.fill(ones, (byte) 0xFF);
        inputs.add(ones);
        inputs.add(new byte[64]);
        inputs.add(Arrays.copyOf(toLittleEndian(L), 64));
        inputs.add(Arrays.copyOf(toLittleEndian(L.subtract(BigInteger.ONE)), 64));
        for (int i = 0; i < 500; i++) {
            byte[] b = new byte[64];
            random.nextBytes(b);
            inputs.add(b);
        }
        for (byte[] in : inputs) {
            byte[] expected = toLittleEndian(littleEndian(in).mod(L));
            assertArrayEquals(expected, Scalar25519Mod.reduceWide(in), hex(in));
        }
    }

    @Test
    void checkScalarBounds() {
        BigInteger top = BigInteger.ONE.shiftLeft(256).subtract(BigInteger.ONE);
        for (BigInteger bad : List.of(BigInteger.ZERO, L, L.add(BigInteger.ONE), top)) {
            assertThrows(InvalidMessageException.class, () -> GROUP.checkScalar(toLittleEndian(bad)), bad.toString(16));
        }
        assertThrows(InvalidMessageException.class, () -> GROUP.checkScalar(new byte[31]));
        assertThrows(InvalidMessageException.class, () -> GROUP.checkScalar(new byte[33]));
        assertDoesNotThrow(() -> GROUP.checkScalar(toLittleEndian(L.subtract(BigInteger.ONE))));
        assertDoesNotThrow(() -> GROUP.checkScalar(scalarOf(1)));
    }

    @Test
    void randomScalarsAreValidAndDistinct() throws Exception {
        SecureRandom random = new SecureRandom();
        byte[] a = GROUP.randomScalar(random);
        byte[] b = GROUP.randomScalar(random);
        GROUP.checkScalar(a);
        GROUP.checkScalar(b);
        assertFalse(Arrays.equals(a, b));
    }

    @Test
    void identityIsRejectedByDecodeElement() throws Exception {
        InvalidMessageException e =
                assertThrows(InvalidMessageException.class, () -> GROUP.decodeElement(new byte[32]));
        assertTrue(e.getMessage().contains("identity"));
        assertTrue(Ristretto255Group.decodeRaw(new byte[32]).isIdentity());
        // the identity also arises from arithmetic: L * P and P + (L-1) * P
        Element g = GROUP.multiplyGenerator(scalarOf(1));
        assertTrue(g.multiply(toLittleEndian(L)).isIdentity());
        assertTrue(GROUP.multiplyGenerator(toLittleEndian(L)).isIdentity());
        RistrettoElement minusG = (RistrettoElement) g.multiply(toLittleEndian(L.subtract(BigInteger.ONE)));
        assertTrue(minusG.add((RistrettoElement) g).isIdentity());
        assertArrayEquals(new byte[32], minusG.add((RistrettoElement) g).encode());
    }

    @Test
    void wrongLengthsAreRejected() {
        for (int n : new int[] {0, 1, 31, 33, 64}) {
            assertThrows(InvalidMessageException.class, () -> GROUP.decodeElement(new byte[n]), "length " + n);
        }
    }

    @Test
    void decodeOfArbitraryBytesOnlyThrowsInvalidMessage() {
        Random random = new Random(255);
        int accepted = 0;
        for (int i = 0; i < 2000; i++) {
            byte[] b = new byte[32];
            random.nextBytes(b);
            if (i % 2 == 0) {
                b[0] &= (byte) 0xFE; // even, so more inputs get past the sign check
                b[31] &= 0x7F;
            }
            try {
                Element e = GROUP.decodeElement(b);
                assertArrayEquals(b, e.encode());
                accepted++;
            } catch (InvalidMessageException expected) {
                // rejection is the normal outcome for random bytes
            }
        }
        assertTrue(accepted > 0);
    }

    @Test
    void multiplyGeneratorAgreesWithGenericMultiply() {
        Random random = new Random(7);
        Element g = GROUP.multiplyGenerator(scalarOf(1));
        for (int i = 0; i < 20; i++) {
            byte[] s = new byte[32];
            random.nextBytes(s); // also exercises unreduced 256-bit scalars
            assertArrayEquals(g.multiply(s).encode(), GROUP.multiplyGenerator(s).encode());
        }
    }

    @Test
    void scalarMultiplicationIsLinear() {
        Random random = new Random(11);
        Element p = GROUP.hashToGroup(Bytes.ascii("linearity"), Bytes.ascii("test-DST"));
        for (int i = 0; i < 10; i++) {
            BigInteger a = new BigInteger(250, random);
            BigInteger b = new BigInteger(250, random);
            RistrettoElement pa = (RistrettoElement) p.multiply(toLittleEndian(a));
            RistrettoElement pb = (RistrettoElement) p.multiply(toLittleEndian(b));
            Element expected = p.multiply(toLittleEndian(a.add(b).mod(L)));
            assertEquals(expected, pa.add(pb));
            assertArrayEquals(expected.encode(), pa.add(pb).encode());
            assertArrayEquals(
                    p.multiply(toLittleEndian(a.multiply(b).mod(L))).encode(),
                    pa.multiply(toLittleEndian(b)).encode());
        }
    }

    @Test
    void elementsAreImmutableAndEncodeFresh() {
        Element g = GROUP.multiplyGenerator(scalarOf(1));
        byte[] first = g.encode();
        byte[] second = g.encode();
        assertNotSame(first, second);
        first[0] ^= 1;
        assertArrayEquals(second, g.encode());
        g.multiply(scalarOf(5));
        assertArrayEquals(second, g.encode());
        assertEquals(g.hashCode(), GROUP.multiplyGenerator(scalarOf(1)).hashCode());
    }

    @Test
    void sizes() {
        assertEquals(32, GROUP.elementLength());
        assertEquals(32, GROUP.scalarLength());
    }

    // ---- helpers ----

    private static List<JsonNode> ristrettoSuites() {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode suite : TestVectors.load("oprf-rfc9497.json")) {
            if (suite.get("identifier").asText().equals("ristretto255-SHA512")) {
                out.add(suite);
            }
        }
        assertEquals(3, out.size());
        return out;
    }

    /** RFC 9497 contextString = "OPRFV1-" || I2OSP(mode, 1) || "-" || identifier. */
    private static byte[] contextString(JsonNode suite) {
        return Bytes.concat(
                Bytes.ascii("OPRFV1-"),
                new byte[] {(byte) suite.get("mode").asInt()},
                Bytes.ascii("-" + suite.get("identifier").asText()));
    }

    private static byte[] scalarOf(int small) {
        return toLittleEndian(BigInteger.valueOf(small));
    }

    private static int[] fieldElement(String littleEndianHex) {
        int[] z = X25519Field.create();
        X25519Field.decode255(hex(littleEndianHex), 0, z, 0);
        return z;
    }

    private static BigInteger littleEndian(byte[] b) {
        byte[] be = new byte[b.length];
        for (int i = 0; i < b.length; i++) {
            be[i] = b[b.length - 1 - i];
        }
        return new BigInteger(1, be);
    }

    private static byte[] toLittleEndian(BigInteger x) {
        byte[] out = new byte[32];
        byte[] be = x.toByteArray();
        for (int i = 0; i < Math.min(32, be.length); i++) { // drops BigInteger's sign byte
            out[i] = be[be.length - 1 - i];
        }
        return out;
    }
}
