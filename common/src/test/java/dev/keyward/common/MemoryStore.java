package dev.keyward.common;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.keycloak.models.SingleUseObjectProvider;

/**
 * Keycloak's cluster-wide store on maps, for unit tests: {@code putIfAbsent} and {@code remove}
 * atomic, each key's lifespan kept (in key order) and keys expiring on a clock the test moves.
 * The integration tests run the same code on Keycloak's own store.
 */
public final class MemoryStore implements SingleUseObjectProvider {
    /** Each live key's lifespan as last given, in key order. */
    public final Map<String, Long> lifespans = new ConcurrentSkipListMap<>();
    /** Each live key's notes. */
    public final Map<String, Map<String, String>> entries = new ConcurrentHashMap<>();

    private final Map<String, Long> expiries = new ConcurrentHashMap<>();
    private volatile long now;

    /** Moves the clock: keys whose lifespan is over are gone. */
    public synchronized void advance(Duration d) {
        now += d.toSeconds();
        expiries.entrySet().removeIf(e -> {
            boolean over = e.getValue() <= now;
            if (over) {
                lifespans.remove(e.getKey());
                entries.remove(e.getKey());
            }
            return over;
        });
    }

    @Override
    public synchronized void put(String key, long lifespanSeconds, Map<String, String> notes) {
        lifespans.put(key, lifespanSeconds);
        expiries.put(key, now + lifespanSeconds);
        entries.put(key, notes == null ? Map.of() : Map.copyOf(notes));
    }

    @Override
    public synchronized Map<String, String> get(String key) {
        return entries.get(key);
    }

    @Override
    public synchronized Map<String, String> remove(String key) {
        lifespans.remove(key);
        expiries.remove(key);
        return entries.remove(key);
    }

    @Override
    public synchronized boolean replace(String key, Map<String, String> notes) {
        return entries.replace(key, Map.copyOf(notes)) != null;
    }

    @Override
    public synchronized boolean putIfAbsent(String key, long lifespanInSeconds) {
        if (entries.containsKey(key)) {
            return false;
        }
        put(key, lifespanInSeconds, Map.of());
        return true;
    }

    @Override
    public synchronized boolean contains(String key) {
        return entries.containsKey(key);
    }

    @Override
    public void close() {}
}
