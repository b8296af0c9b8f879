package dev.keyward.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class ClusterSlotsTest {
    private final MemoryStore store = new MemoryStore();
    private final ClusterSlots slots = new ClusterSlots(store, "p.", 2);

    @Test
    void atMostCountHoldersAndAReleaseFreesOne() {
        String a = slots.claim(60);
        String b = slots.claim(60);
        assertEquals(Set.of("p.0", "p.1"), Set.of(a, b));
        assertNull(slots.claim(60));
        assertTrue(slots.release(a));
        assertFalse(slots.release(a), "a slot is freed once");
        assertEquals(a, slots.claim(60));
    }

    @Test
    void claimsExpireWithTheirLifespan() {
        slots.claim(60);
        slots.claim(10);
        store.advance(Duration.ofSeconds(10));
        assertEquals("p.1", slots.claim(60));
    }

    @Test
    void keysOfOtherSlotsAreNeitherReleasedNorRenewed() {
        store.put("q.0", 60, Map.of());
        assertFalse(slots.owns("q.0"));
        assertFalse(slots.release("q.0"));
        slots.renew("q.0", 5);
        assertEquals(60L, store.lifespans.get("q.0"));
        assertFalse(slots.release(null));
    }

    @Test
    void renewingKeepsASlotForItsNewLifespan() {
        String a = slots.claim(1);
        slots.renew(a, 60);
        store.advance(Duration.ofSeconds(30));
        assertTrue(store.contains(a));
    }

    @Test
    void hintedClaimsSkipNoFreeSlotAndWriteTheHint() {
        ClusterSlots window = new ClusterSlots(store, "w.", 3);
        assertEquals("w.0", window.claimHinted(60));
        assertEquals("1", store.get("w.next").get("next"));
        assertEquals("w.1", window.claimHinted(60));
        store.put("w.next", 60, Map.of("next", "0"));
        assertEquals("w.2", window.claimHinted(60), "a stale hint costs steps, not a slot");
        assertNull(window.claimHinted(60));
        store.put("w.next", 60, Map.of("next", "garbage"));
        assertNull(window.claimHinted(60));
    }

    @Test
    void concurrentClaimsNeverHandOutMoreThanTheCount() throws Exception {
        ClusterSlots five = new ClusterSlots(store, "c.", 5);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<String>> claims = new java.util.ArrayList<>();
            for (int i = 0; i < 40; i++) {
                claims.add(pool.submit(() -> five.claim(60)));
            }
            Set<String> won = new HashSet<>();
            int granted = 0;
            for (Future<String> f : claims) {
                String key = f.get();
                if (key != null) {
                    granted++;
                    won.add(key);
                }
            }
            assertEquals(5, granted);
            assertEquals(5, won.size());
        } finally {
            pool.shutdown();
        }
        assertNotNull(store.get("c.4"));
    }
}
