package dev.keyward.apitoken;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MemoryStore;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GuessLimitsTest {
    private final MemoryStore store = new MemoryStore();
    private final GuessLimits limits = new GuessLimits(3, 10, 60);

    @Test
    void aTokenIdFromOneAddressIsOverItsLimitAfterItsFailuresUntilTheWindowEnds() {
        for (int i = 0; i < 3; i++) {
            assertFalse(limits.failed(store, "realm", "id-a", "10.0.0.1"), "failure " + i);
        }
        assertTrue(limits.failed(store, "realm", "id-a", "10.0.0.1"));
        assertFalse(limits.failed(store, "realm", "id-b", "10.0.0.1"), "another token");
        assertFalse(limits.failed(store, "realm", "id-a", "10.0.0.2"), "another address");
        assertFalse(limits.failed(store, "other-realm", "id-a", "10.0.0.1"), "another realm");
        store.advance(Duration.ofSeconds(61));
        assertFalse(limits.failed(store, "realm", "id-a", "10.0.0.1"), "the window is over");
    }

    @Test
    void anAddressSprayingMadeUpTokensIsOverItsLimitForEveryToken() {
        for (int i = 0; i < 10; i++) {
            assertFalse(limits.failed(store, "realm", null, "10.0.0.9"), "failure " + i);
        }
        assertTrue(limits.failed(store, "realm", null, "10.0.0.9"));
        assertTrue(limits.failed(store, "realm", "any-id", "10.0.0.9"));
        assertFalse(limits.failed(store, "realm", null, "10.0.0.8"));
    }
}
