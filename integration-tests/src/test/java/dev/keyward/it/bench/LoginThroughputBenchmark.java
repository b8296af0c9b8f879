package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The login-throughput benchmark of issue 3 (see docs/performance.md, "Login throughput"): complete
 * authorization-code logins through a real Keycloak with (a) Keycloak's password form, (b) the
 * OPAQUE form, (c) no credential check. Not an IT: Failsafe runs it only in the Maven profile
 * {@code load-bench}, alone, so {@code mvn verify} never spends minutes on it
 * ({@link LoginThroughputSmokeIT} keeps the driver working there). Sizes: {@code keyward.bench.*}
 * ({@link LoginThroughput.Settings}). Prints the table and writes it to
 * {@code target/login-throughput.md}.
 */
class LoginThroughputBenchmark {

    @Test
    void loginThroughput() throws Exception {
        LoginThroughput.Result result =
                LoginThroughput.run(KeycloakServer.get(), "bench", LoginThroughput.Settings.fromConfig());
        String report = result.report();
        Path out = Path.of(ItConfig.get("keyward.it.work.dir", "target"), "login-throughput.md");
        Files.writeString(out, report);
        System.out.println();
        System.out.println(report);
        System.out.println("written to " + out.toAbsolutePath());
        // numbers from a run with failed logins would compare different work
        assertEquals(0, result.errors(), "failed logins; see the report");
    }
}
