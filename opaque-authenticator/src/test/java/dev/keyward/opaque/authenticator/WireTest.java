package dev.keyward.opaque.authenticator;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.keyward.opaque.InvalidMessageException;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class WireTest {
    @Test
    void roundTripsEveryLength() throws Exception {
        for (int n = 0; n < 70; n++) {
            byte[] b = new byte[n];
            for (int i = 0; i < n; i++) {
                b[i] = (byte) (i * 37 + n);
            }
            String s = Wire.encode(b);
            assertEquals(Wire.encodedLength(n), s.length());
            assertArrayEquals(b, Wire.decode(s, n));
        }
    }

    @Test
    void rejectsEverythingButCanonicalUnpaddedBase64url() {
        byte[] b = new byte[32];
        b[0] = (byte) 0xfb; // encodes with '-' or '+' depending on the alphabet
        b[1] = (byte) 0xff;
        String canonical = Wire.encode(b);
        assertThrows(InvalidMessageException.class, () -> Wire.decode(null, 32));
        assertThrows(InvalidMessageException.class, () -> Wire.decode(canonical + "=", 32), "padding");
        assertThrows(
                InvalidMessageException.class,
                () -> Wire.decode(Base64.getEncoder().withoutPadding().encodeToString(b), 32),
                "standard alphabet");
        assertThrows(InvalidMessageException.class, () -> Wire.decode(canonical.substring(1), 32), "short");
        assertThrows(InvalidMessageException.class, () -> Wire.decode(canonical, 31), "wrong expected size");
        assertThrows(InvalidMessageException.class, () -> Wire.decode(" " + canonical.substring(1), 32), "whitespace");
        // 32 bytes -> 43 chars; the last char carries 2 unused bits that must be zero
        char last = canonical.charAt(42);
        String nonCanonical = canonical.substring(0, 42) + (char) (last + 1);
        assertThrows(InvalidMessageException.class, () -> Wire.decode(nonCanonical, 32), "non-canonical trailing bits");
    }

    @Test
    void jsonBodiesAreExactlyTheDocumentedShapes() {
        Map<String, String> body = new LinkedHashMap<>();
        body.put(OpaqueConstants.JSON_KE2, "abc_-");
        body.put(
                OpaqueConstants.JSON_ACTION,
                "http://h/realms/r/login-actions/authenticate?session_code=x&execution=y&client_id=c&tab_id=t");
        assertEquals(
                "{\"ke2\":\"abc_-\",\"action\":\"http://h/realms/r/login-actions/authenticate?session_code=x&execution=y&client_id=c&tab_id=t\"}",
                Wire.toJson(body));
        assertEquals(
                "{\"error\":\"invalid_request\"}",
                Wire.toJson(Map.of(OpaqueConstants.JSON_ERROR, OpaqueConstants.ERROR_INVALID_REQUEST)));
        assertEquals("{\"a\":\"q\\\"uote\"}", Wire.toJson(Map.of("a", "q\"uote")));
    }

    @Test
    void legacyAnswersAreJsonOfTheDocumentedShape() throws Exception {
        assertEquals(
                "{\"legacy\":true,\"action\":\"https://kc.test/a?session_code=1\"}",
                Wire.toJson(Wire.legacyBody("https://kc.test/a?session_code=1")));
        assertEquals(
                "{\"error\":\"invalid_grant\",\"message\":\"Invalid username or password.\",\"action\":\"/b\"}",
                Wire.toJson(Wire.loginFailedBody("Invalid username or password.", "/b")));
    }
}
