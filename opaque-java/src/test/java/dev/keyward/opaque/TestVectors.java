package dev.keyward.opaque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Objects;

/** Reads the shared JSON vectors from the folder surefire passes as {@code keyward.testVectors}. */
final class TestVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestVectors() {
    }

    static JsonNode load(String fileName) {
        String dir = Objects.requireNonNull(System.getProperty("keyward.testVectors"),
            "system property keyward.testVectors (the test-vector folder) is not set");
        try {
            return MAPPER.readTree(Path.of(dir, fileName).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] hex(String hex) {
        String h = hex.startsWith("0x") || hex.startsWith("0X") ? hex.substring(2) : hex;
        return HexFormat.of().parseHex(h);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
