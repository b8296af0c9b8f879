package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/** RFC 9380 appendix K.1-K.3, including the oversize-DST file. */
class ExpandMessageXmdTest {

    @TestFactory
    List<DynamicTest> sha256ShortDst() {
        return vectors("h2c-rfc9380-expand_message_xmd-SHA256-38.json", ExpandMessageXmd.SHA256);
    }

    @TestFactory
    List<DynamicTest> sha256OversizeDst() {
        return vectors("h2c-rfc9380-expand_message_xmd-SHA256-256.json", ExpandMessageXmd.SHA256);
    }

    @TestFactory
    List<DynamicTest> sha512() {
        return vectors("h2c-rfc9380-expand_message_xmd-SHA512-38.json", ExpandMessageXmd.SHA512);
    }

    private static List<DynamicTest> vectors(String file, ExpandMessageXmd xmd) {
        JsonNode root = TestVectors.load(file);
        byte[] dst = Bytes.ascii(root.get("DST").asText());
        List<DynamicTest> tests = new ArrayList<>();
        for (JsonNode v : root.get("tests")) {
            String msgText = v.get("msg").asText();
            int len = Integer.decode(v.get("len_in_bytes").asText());
            String name = "len " + len + ", msg '" + abbreviate(msgText) + "'";
            tests.add(DynamicTest.dynamicTest(name, () -> {
                byte[] msg = Bytes.ascii(msgText);
                byte[] dstPrime = xmd.dstPrime(dst);
                assertEquals(v.get("DST_prime").asText(), TestVectors.hex(dstPrime), "DST_prime");
                assertEquals(
                        v.get("msg_prime").asText(), TestVectors.hex(xmd.msgPrime(msg, len, dstPrime)), "msg_prime");
                assertEquals(
                        v.get("uniform_bytes").asText(), TestVectors.hex(xmd.expand(msg, dst, len)), "uniform_bytes");
            }));
        }
        assertEquals(10, tests.size(), "every RFC 9380 expand_message_xmd file has ten vectors");
        return tests;
    }

    private static String abbreviate(String s) {
        return s.length() <= 12 ? s : s.substring(0, 12) + "...(" + s.length() + ")";
    }
}
