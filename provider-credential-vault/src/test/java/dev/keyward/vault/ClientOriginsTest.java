package dev.keyward.vault;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ClientOriginsTest {

    @Test
    void onlyAnExactlyListedOriginIsAllowed() {
        Set<String> listed = Set.of("https://app.example", "http://localhost:8081");
        assertTrue(ClientOrigins.lists(listed, "https://app.example"));
        assertTrue(ClientOrigins.lists(listed, "http://localhost:8081"));
        assertFalse(ClientOrigins.lists(listed, "https://app.example:443"));
        assertFalse(ClientOrigins.lists(listed, "https://app.example.evil"));
        assertFalse(ClientOrigins.lists(listed, "http://app.example"));
        assertFalse(ClientOrigins.lists(Set.of(), "https://app.example"));
    }

    @Test
    void aWildcardOrAnOpaqueOriginNeverMatches() {
        assertFalse(ClientOrigins.lists(Set.of("*"), "https://evil.example"));
        assertFalse(ClientOrigins.lists(Set.of("*"), "*"));
        assertFalse(ClientOrigins.lists(Set.of("null"), "null"));
    }
}
