package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The timing-parity benchmark of issue 20 (see docs/performance.md, "Timing parity"): how long
 * the first request naming a user takes to answer, per kind of name ({@link TimingParity}). Not an
 * IT: Failsafe runs it only in the Maven profile {@code timing-bench}, alone
 * ({@link TimingParitySmokeIT} keeps the driver working in {@code mvn verify}). Sizes:
 * {@code keyward.bench.timing.samples} (1000 per path), {@code keyward.bench.timing.warmup} (200).
 * Prints the tables and writes them to {@code target/timing-parity.md}.
 */
class TimingParityBenchmark {

    @Test
    void timingParity() throws Exception {
        TimingParity.Result result =
                TimingParity.run(KeycloakServer.get(), "timing", TimingParity.Settings.fromConfig());
        String report = result.report();
        Path out = Path.of(ItConfig.get("keyward.it.work.dir", "target"), "timing-parity.md");
        Files.writeString(out, report);
        System.out.println();
        System.out.println(report);
        System.out.println("written to " + out.toAbsolutePath());
        // a path that answered otherwise than expected measured different work
        assertEquals(0, result.errors(), "unexpected answers; see the report");
    }
}
