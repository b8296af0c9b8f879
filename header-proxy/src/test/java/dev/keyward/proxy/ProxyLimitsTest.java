package dev.keyward.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.common.MemoryStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The slot arithmetic. The store here is an in-memory stand-in with the interface's atomic
 * {@code putIfAbsent}; HeaderProxyIT runs the same code on Keycloak's own store.
 */
class ProxyLimitsTest {

    private final MemoryStore store = new MemoryStore();
    private final ProxyLimits limits = new ProxyLimits(store);

    @Test
    void exactlyTheLimitPassesInAWindowThenTheRestOfTheWindowIsReturned() {
        for (int i = 0; i < 5; i++) {
            assertEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 5, 60, 120));
        }
        assertEquals(Optional.of(60L), limits.claimRequest("r", "u", "p", 5, 60, 120));
        assertEquals(Optional.of(30L), limits.claimRequest("r", "u", "p", 5, 60, 150));
        assertEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 5, 60, 180), "a new window");
    }

    @Test
    void usersAndProvidersCountSeparately() {
        for (int i = 0; i < 2; i++) {
            assertEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 2, 60, 0));
        }
        assertNotEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 2, 60, 0));
        assertEquals(Optional.empty(), limits.claimRequest("r", "u", "q", 2, 60, 0));
        assertEquals(Optional.empty(), limits.claimRequest("r", "v", "p", 2, 60, 0));
        assertEquals(Optional.empty(), limits.claimRequest("s", "u", "p", 2, 60, 0));
    }

    @Test
    void slotsAndTheirHintLiveUntilTheWindowEnds() {
        limits.claimRequest("r", "u", "p", 5, 60, 130);
        assertEquals(List.of(51L, 51L), new ArrayList<>(store.lifespans.values()));
    }

    @Test
    void aStaleOrBrokenHintOnlyCostsSteps() {
        String base = "keyward-proxy.rate.r.u.p.60.0.";
        for (int i = 0; i < 3; i++) {
            limits.claimRequest("r", "u", "p", 5, 60, 0);
        }
        store.put(base + "next", 60, Map.of("next", "1")); // behind: a slower racer wrote it last
        assertEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 5, 60, 0));
        assertTrue(store.contains(base + "3"));
        store.put(base + "next", 60, Map.of("next", "x"));
        assertEquals(Optional.empty(), limits.claimRequest("r", "u", "p", 5, 60, 0));
        assertTrue(store.contains(base + "4"));
        assertEquals(Optional.of(60L), limits.claimRequest("r", "u", "p", 5, 60, 0));
    }

    @Test
    void racingClaimsNeverExceedTheLimit() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        AtomicInteger allowed = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            futures.add(pool.submit(() -> {
                if (limits.claimRequest("r", "u", "p", 50, 60, 0).isEmpty()) {
                    allowed.incrementAndGet();
                }
            }));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        pool.shutdown();
        assertEquals(50, allowed.get());
    }

    @Test
    void streamSlotsAreClaimedReleasedAndRenewed() {
        String a = limits.claimStream("r", "u", 2).orElseThrow();
        String b = limits.claimStream("r", "u", 2).orElseThrow();
        assertNotEquals(a, b);
        assertTrue(limits.claimStream("r", "u", 2).isEmpty());
        assertTrue(limits.claimStream("r", "other", 2).isPresent(), "per user");
        limits.releaseStream(a);
        assertEquals(Optional.of(a), limits.claimStream("r", "u", 2));
        store.lifespans.put(b, 1L);
        limits.renewStream(b);
        assertEquals(ProxyLimits.STREAM_SLOT_SECONDS, store.lifespans.get(b));
    }
}
