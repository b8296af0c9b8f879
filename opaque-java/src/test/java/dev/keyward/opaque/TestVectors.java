package dev.keyward.opaque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import org.bouncycastle.util.encoders.Hex;

/** Loads the vector files in src/test/resources/test-vectors (their README says where each comes from). */
final class TestVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestVectors() {}

    static JsonNode load(String fileName) {
        try (InputStream in = TestVectors.class.getResourceAsStream("/test-vectors/" + fileName)) {
            if (in == null) {
                throw new IllegalStateException(
                        "no test vector file " + fileName + " in src/test/resources/test-vectors");
            }
            return MAPPER.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test vector file " + fileName, e);
        }
    }

    /** Decodes hex, with or without a 0x prefix. */
    static byte[] hex(String s) {
        return Hex.decodeStrict(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s);
    }

    /** The suite of an RFC 9807 vector's config: its OPRF suite and its key-exchange group. */
    static OpaqueSuite suiteOf(JsonNode config) {
        String oprf = config.get("OPRF").asText();
        String group = config.get("Group").asText();
        for (OpaqueSuite s : OpaqueSuite.values()) {
            boolean sameGroup = s == OpaqueSuite.RISTRETTO255_X25519_SHA512
                    ? group.equals("curve25519")
                    : !group.equals("curve25519");
            if (s.oprfIdentifier().equals(oprf) && sameGroup) {
                return s;
            }
        }
        throw new IllegalArgumentException("no suite for OPRF " + oprf + " with group " + group);
    }

    static String hex(byte[] bytes) {
        return Hex.toHexString(bytes);
    }
}
