package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoredCredentialTest {
    /** Appears in every refused body: no message may repeat it. */
    private static final String SECRET = "s3cr3tV4lue";

    private static final List<CredentialKind> SECRET_KINDS =
            List.of(CredentialKind.BEARER, CredentialKind.API_KEY_HEADER, CredentialKind.COOKIE);

    private static String json(String singleQuoted) {
        return singleQuoted.replace('\'', '"');
    }

    private static StoredCredential parse(CredentialKind kind, String singleQuoted) throws InvalidInputException {
        return StoredCredential.parse(kind, json(singleQuoted));
    }

    private static String refused(CredentialKind kind, String singleQuoted) {
        String message = assertThrows(InvalidInputException.class, () -> parse(kind, singleQuoted))
                .getMessage();
        assertFalse(message.contains(SECRET), message);
        return message;
    }

    @Test
    void secretKinds() throws Exception {
        for (CredentialKind kind : SECRET_KINDS) {
            StoredCredential c = parse(kind, "{'secret': 'ghp_abc.DEF-123~'}");
            assertEquals("ghp_abc.DEF-123~", c.secret);
            assertNull(c.username);
            assertNull(c.password);
        }
    }

    @Test
    void basic() throws Exception {
        StoredCredential c = parse(CredentialKind.BASIC, "{'username': 'jdoe@example.com', 'password': 'pass word é'}");
        assertEquals("jdoe@example.com", c.username);
        assertEquals("pass word é", c.password);
        assertNull(c.secret);
        assertEquals("", parse(CredentialKind.BASIC, "{'username': 'u', 'password': ''}").password);
    }

    @Test
    void basicNeedsUsernameAndPassword() {
        refused(CredentialKind.BASIC, "{'username': 'u'}");
        refused(CredentialKind.BASIC, "{'password': '" + SECRET + "'}");
        refused(CredentialKind.BASIC, "{'secret': '" + SECRET + "'}");
        refused(CredentialKind.BASIC, "{'username': 'u', 'password': '" + SECRET + "', 'secret': '" + SECRET + "'}");
        refused(CredentialKind.BASIC, "{}");
    }

    @Test
    void basicUsernameRules() {
        assertTrue(refused(CredentialKind.BASIC, "{'username': 'a:b', 'password': '" + SECRET + "'}")
                .contains("':'"));
        refused(CredentialKind.BASIC, "{'username': '', 'password': '" + SECRET + "'}");
        refused(CredentialKind.BASIC, "{'username': 'a\\nb', 'password': '" + SECRET + "'}");
        refused(CredentialKind.BASIC, "{'username': 'u', 'password': '" + SECRET + "\\r\\n'}");
        refused(CredentialKind.BASIC, "{'username': 'u', 'password': '" + SECRET + "\\u007f'}");
    }

    @Test
    void secretKindsRefuseTheBasicShape() {
        for (CredentialKind kind : SECRET_KINDS) {
            refused(kind, "{'username': 'u', 'password': '" + SECRET + "'}");
            refused(kind, "{'secret': '" + SECRET + "', 'username': 'u'}");
            refused(kind, "{'secret': '" + SECRET + "', 'password': '" + SECRET + "'}");
            refused(kind, "{}");
        }
    }

    @Test
    void secretMustBeVisibleAscii() {
        for (CredentialKind kind : SECRET_KINDS) {
            for (String secret : List.of(
                    "",
                    SECRET + " x",
                    SECRET + "\\r\\nX: y",
                    SECRET + "\\t",
                    SECRET + "é",
                    SECRET + "\\u0000",
                    SECRET + "\\u007f")) {
                String message = refused(kind, "{'secret': '" + secret + "'}");
                assertTrue(message.contains("visible ASCII"), () -> kind + " " + secret + ": " + message);
            }
        }
    }

    @Test
    void cookieValueRefusesCookieSyntax() throws Exception {
        for (String c : List.of(";", ",", "\\\"", "\\\\")) {
            String message = refused(CredentialKind.COOKIE, "{'secret': '" + SECRET + c + "x'}");
            assertTrue(message.contains("cookie"), message);
        }
        // the same characters are fine in a header value of the other kinds
        assertEquals(SECRET + ";x", parse(CredentialKind.BEARER, "{'secret': '" + SECRET + ";x'}").secret);
        assertEquals(SECRET + ";x", parse(CredentialKind.API_KEY_HEADER, "{'secret': '" + SECRET + ";x'}").secret);
    }

    @Test
    void secretSizeLimit() throws Exception {
        String max = "a".repeat(VaultConstants.MAX_SECRET_BYTES);
        assertEquals(max, parse(CredentialKind.BEARER, "{'secret': '" + max + "'}").secret);
        String message = refused(CredentialKind.BEARER, "{'secret': '" + max + "a'}");
        assertTrue(message.contains(String.valueOf(VaultConstants.MAX_SECRET_BYTES)), message);
        assertFalse(message.contains("aaaaaaaa"), message);
    }

    @Test
    void basicSizeLimitCountsUtf8BytesOfBothParts() throws Exception {
        // 1 + 2 * 2047 = 4095 bytes, then one more 'é' makes 4097
        String password = "é".repeat((VaultConstants.MAX_SECRET_BYTES - 2) / 2);
        parse(CredentialKind.BASIC, "{'username': 'uu', 'password': '" + password + "'}");
        refused(CredentialKind.BASIC, "{'username': 'uu', 'password': '" + password + "é'}");
    }

    @Test
    void typeErrorsAndBadJsonDoNotQuoteTheBody() {
        assertEquals("wrong type for 'secret'", refused(CredentialKind.BEARER, "{'secret': ['" + SECRET + "']}"));
        assertEquals("wrong type for 'secret'", refused(CredentialKind.BEARER, "{'secret': {'v': '" + SECRET + "'}}"));
        assertEquals("body is not valid JSON", refused(CredentialKind.BEARER, "{'secret': '" + SECRET + "'"));
        assertEquals("body is not valid JSON", refused(CredentialKind.BEARER, "{'secret': " + SECRET + "}"));
        assertEquals("unknown field 'token'", refused(CredentialKind.BEARER, "{'token': '" + SECRET + "'}"));
        assertEquals("body must be a JSON object", refused(CredentialKind.BEARER, "null"));
        assertEquals("body must be a JSON object", refused(CredentialKind.BEARER, "'" + SECRET + "'"));
    }

    @Test
    void bytesRoundTrip() throws Exception {
        StoredCredential bearer = parse(CredentialKind.BEARER, "{'secret': '" + SECRET + "'}");
        byte[] plaintext = bearer.bytes();
        assertEquals(json("{'secret':'" + SECRET + "'}"), new String(plaintext, StandardCharsets.UTF_8));
        assertEquals(SECRET, StoredCredential.fromBytes(plaintext).secret);

        StoredCredential basic =
                parse(CredentialKind.BASIC, "{'username': 'jdoe', 'password': 'pässwörd " + SECRET + "'}");
        StoredCredential back = StoredCredential.fromBytes(basic.bytes());
        assertEquals("jdoe", back.username);
        assertEquals("pässwörd " + SECRET, back.password);
        assertNull(back.secret);
    }

    @Test
    void fromBytesDoesNotQuoteGarbage() {
        IllegalStateException e = assertThrows(
                IllegalStateException.class,
                () -> StoredCredential.fromBytes(("{\"secret\": " + SECRET).getBytes(StandardCharsets.UTF_8)));
        assertFalse(e.getMessage().contains(SECRET));
    }

    @Test
    void toStringHidesTheCredential() throws Exception {
        StoredCredential c = parse(CredentialKind.BASIC, "{'username': 'jdoe', 'password': '" + SECRET + "'}");
        assertFalse(c.toString().contains(SECRET));
        assertFalse(c.toString().contains("jdoe"));
        assertFalse(parse(CredentialKind.BEARER, "{'secret': '" + SECRET + "'}")
                .toString()
                .contains(SECRET));
    }
}
