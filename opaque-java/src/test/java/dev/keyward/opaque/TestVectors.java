package dev.keyward.opaque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

/** Loads the shared test vectors (system property keyward.testVectors) and converts hex. */
final class TestVectors {
    private TestVectors() {
    }

    static JsonNode load(String fileName) throws IOException {
        String dir = System.getProperty("keyward.testVectors", "../../shared/test-vectors");
        return new ObjectMapper().readTree(Path.of(dir, fileName).toFile());
    }

    static byte[] hex(String s) {
        String h = s.startsWith("0x") ? s.substring(2) : s;
        return HexFormat.of().parseHex(h);
    }

    static String hex(byte[] b) {
        return HexFormat.of().formatHex(b);
    }
}
