package dev.keyward.opaque;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HexFormat;

/** Loads the shared vector files from the folder Surefire passes as keyward.testVectors, and converts hex. */
final class TestVectors {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private TestVectors() {
    }

    static JsonNode load(String fileName) {
        String folder = System.getProperty("keyward.testVectors", "../../shared/test-vectors");
        try {
            return MAPPER.readTree(Path.of(folder, fileName).toFile());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read test vector file " + fileName, e);
        }
    }

    /** Decodes hex, with or without a 0x prefix; rejects anything that is not hex. */
    static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.startsWith("0x") || s.startsWith("0X") ? s.substring(2) : s);
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
