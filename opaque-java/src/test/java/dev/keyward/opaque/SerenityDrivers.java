package dev.keyward.opaque;

import java.util.EnumMap;
import java.util.Map;

/** One driver process per package, started on first use and shared by a test class's tests. */
final class SerenityDrivers implements AutoCloseable {
    private final Map<SerenityFlavor, SerenityDriver> drivers = new EnumMap<>(SerenityFlavor.class);

    synchronized SerenityDriver get(SerenityFlavor flavor) {
        return drivers.computeIfAbsent(flavor, SerenityDriver::start);
    }

    @Override
    public synchronized void close() {
        drivers.values().forEach(SerenityDriver::close);
        drivers.clear();
    }
}
