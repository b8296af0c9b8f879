package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UpstreamOriginTest {

    @Test
    void theDefaultPortIsAlwaysWritten() {
        assertEquals("https://media.example.com:443", UpstreamOrigin.of("https://media.example.com"));
        assertEquals("https://media.example.com:443", UpstreamOrigin.of("https://media.example.com:443"));
        assertEquals("http://media.example.com:80", UpstreamOrigin.of("http://media.example.com"));
        assertEquals("http://media.example.com:80", UpstreamOrigin.of("http://media.example.com:80/"));
    }

    @Test
    void schemeAndHostAreCaseInsensitive() {
        assertEquals("https://media.example.com:443", UpstreamOrigin.of("HTTPS://Media.Example.COM/Api"));
    }

    @Test
    void pathTrailingSlashAndNothingElseOfTheUrlArePartOfIt() {
        String origin = UpstreamOrigin.of("https://media.example.com");
        for (String same : new String[] {
            "https://media.example.com/",
            "https://media.example.com/api",
            "https://media.example.com/api/",
            "https://media.example.com/other/deeper/"
        }) {
            assertEquals(origin, UpstreamOrigin.of(same), same);
        }
    }

    @Test
    void anotherSchemeHostOrPortIsAnotherOrigin() {
        String origin = UpstreamOrigin.of("https://media.example.com");
        for (String other : new String[] {
            "http://media.example.com",
            "https://media.example.com:8443",
            "https://media.example.org",
            "https://evil.media.example.com",
            "https://media.example.com.evil.test",
            "http://media.example.com:443"
        }) {
            assertNotEquals(origin, UpstreamOrigin.of(other), other);
        }
        assertNotEquals(UpstreamOrigin.of("http://127.0.0.1:8080"), UpstreamOrigin.of("http://127.0.0.1:8081"));
    }

    @Test
    void ipv6LiteralsHaveOneForm() {
        assertEquals(UpstreamOrigin.of("http://[::1]:8080/api"), UpstreamOrigin.of("http://[0:0:0:0:0:0:0:1]:8080"));
        assertEquals(
                UpstreamOrigin.of("https://[2001:DB8::1]"), UpstreamOrigin.of("https://[2001:db8:0:0:0:0:0:1]:443/"));
        assertNotEquals(UpstreamOrigin.of("https://[2001:db8::1]"), UpstreamOrigin.of("https://[2001:db8::2]"));
    }

    @Test
    void onlyAbsoluteHttpUrlsHaveOne() {
        for (String bad : new String[] {"ftp://example.com", "/relative", "https://", "not a url", ""}) {
            assertThrows(IllegalArgumentException.class, () -> UpstreamOrigin.of(bad), bad);
        }
    }
}
