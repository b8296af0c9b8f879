package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.KeycloakServer;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link TimingParityBenchmark} from rotting unnoticed: the same setup and driver with a few
 * rounds, asserting that every path answered as it must (a KE2 for every name, a login for the
 * known user) and that the users were in the states the benchmark names. No timing is asserted
 * (performance is measured by the benchmark, not by tests).
 */
class TimingParitySmokeIT {

    @Test
    void everyPathAnswersAsTheBenchmarkExpects() throws Exception {
        TimingParity.Settings tiny = new TimingParity.Settings(4, 1);
        TimingParity.Result result = TimingParity.run(KeycloakServer.get(), "timing-smoke", tiny);
        String report = result.report();
        System.out.println(report);
        assertEquals(0, result.errors(), report);
        for (TimingParity.Table table : result.tables()) {
            for (TimingParity.Samples row : table.rows()) {
                assertEquals(tiny.samples(), row.millis().length, row.label() + "\n" + report);
            }
        }
        assertTrue(report.contains("bench-user-00001 locked true"), "the locked user stayed locked:\n" + report);
        assertTrue(report.contains("bench-user-00002 locked false"), "over the limit, not locked:\n" + report);
    }
}
