package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ScopedBearerTest {

    @Test
    void theScopeClaimMustNameTheScopeAsAWholeWord() {
        assertTrue(ScopedBearer.names("openid keyward-proxy email", "keyward-proxy"));
        assertTrue(ScopedBearer.names("keyward-proxy", "keyward-proxy"));
        assertFalse(ScopedBearer.names("openid keyward-proxy-extra email", "keyward-proxy"));
        assertFalse(ScopedBearer.names("openid keyward-vault", "keyward-proxy"));
        assertFalse(ScopedBearer.names("openid,keyward-proxy", "keyward-proxy"));
        assertFalse(ScopedBearer.names("", "keyward-proxy"));
        assertFalse(ScopedBearer.names(null, "keyward-proxy"));
    }

    @Test
    void challengesFollowRfc6750() {
        assertEquals("Bearer realm=\"demo\"", ScopedBearer.challenge("demo", null, null));
        assertEquals(
                "Bearer realm=\"demo\", error=\"invalid_token\"",
                ScopedBearer.challenge("demo", "invalid_token", null));
        assertEquals(
                "Bearer realm=\"demo\", error=\"insufficient_scope\", scope=\"keyward-vault\"",
                ScopedBearer.challenge("demo", "insufficient_scope", "keyward-vault"));
        assertEquals("Bearer realm=\"a \\\"b\\\" \\\\c\"", ScopedBearer.challenge("a \"b\" \\c", null, null));
    }

    @Test
    void aScopeAndAnAudienceAreRequired() {
        assertThrows(IllegalArgumentException.class, () -> new ScopedBearer("", "aud"));
        assertThrows(IllegalArgumentException.class, () -> new ScopedBearer("scope", null));
        assertEquals("keyward-vault", new ScopedBearer("keyward-vault", "keyward-vault").scope());
    }
}
