package dev.keyward.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.keyward.it.harness.KeycloakServer;
import dev.keyward.it.harness.LoginVariant;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@link LoginThroughputBenchmark} from rotting unnoticed: the same setup and driver with a
 * handful of users and logins per variant, asserting that every login ended with an access token.
 * No timing is asserted (performance is measured by the benchmark, not by tests).
 */
class LoginThroughputSmokeIT {

    @Test
    void everyLoginOfEveryVariantGetsAnAccessToken() throws Exception {
        LoginThroughput.Settings tiny = new LoginThroughput.Settings(4, 2, 6, 2, 2);
        LoginThroughput.Result result = LoginThroughput.run(KeycloakServer.get(), "bench-smoke", tiny);
        String report = result.report();
        System.out.println(report);
        assertEquals(0, result.errors(), report);
        for (LoginVariant v : LoginVariant.values()) {
            assertEquals(tiny.logins(), result.windows().get(v).logins(), v + "\n" + report);
        }
        assertTrue(report.contains("\"algorithm\":\"argon2\""), "Keycloak's default hash is argon2:\n" + report);
    }
}
