package dev.keyward.it.bench;

import org.junit.jupiter.api.Test;

/**
 * Keeps {@link HeaderProxyBenchmark} from rotting unnoticed: the same setup and driver with a
 * 4 MiB body, one round and a few small GETs. Each fetch asserts its status and that the whole
 * body arrived, direct and through the proxy; no timing is asserted (performance is measured by
 * the benchmark, not by tests).
 */
class HeaderProxyBenchmarkSmokeIT {

    @Test
    void everyFetchDirectAndProxiedGetsTheWholeBody() throws Exception {
        HeaderProxyBenchmark.run(4L << 20, 1, 20);
    }
}
