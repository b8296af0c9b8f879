package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Base64;

/**
 * The wire encoding of @serenity-kit/opaque: base64url without padding (Rust base64's
 * URL_SAFE_NO_PAD), around the exact RFC 9807 bytes.
 */
final class Base64Url {
    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private Base64Url() {}

    static String encode(byte[] bytes) {
        return ENCODER.encodeToString(bytes);
    }

    /**
     * Decodes a value produced by the library and asserts that our encoder gives back the
     * same string: every value that crosses the driver therefore checks that both sides use
     * the same encoding (alphabet, no padding, canonical trailing bits).
     */
    static byte[] decode(String value) {
        byte[] bytes = DECODER.decode(value);
        assertEquals(value, encode(bytes), "library value is not canonical unpadded base64url");
        return bytes;
    }
}
