package dev.keyward.it.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.keyward.it.harness.AdminApi;
import dev.keyward.it.harness.ItConfig;
import dev.keyward.it.harness.KeycloakServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * The run conditions every benchmark report starts with, so that numbers from different runs can
 * be weighed: which Keycloak, JVM and database, and how busy the machine was (the driver shares
 * it with Keycloak). Made before setup, to read the load average then.
 */
final class BenchConditions {
    private final String loadBefore = loadAverage();

    /** The report's title line with the time, then Keycloak and the machine, the load average now as "after the run". */
    String header(String title, KeycloakServer keycloak, AdminApi admin) {
        JsonNode system = admin.serverInfo().get("systemInfo");
        String args = ItConfig.get("keyward.it.keycloak.args", "");
        return String.format(
                Locale.ROOT,
                """
                %s, %s
                Keycloak %s (kc.sh start-dev%s), Keycloak JVM %s, pid %d; database: %s
                machine: %d cores, load average before setup %s, after the run %s; the driver runs on the same machine
                """,
                title,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                system.path("version").asText(),
                args.isEmpty() ? "" : " " + args,
                system.path("javaVersion").asText(),
                keycloak.jvm().pid(),
                keycloak.database().describe(),
                Runtime.getRuntime().availableProcessors(),
                loadBefore,
                loadAverage());
    }

    private static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException e) {
            return "unknown";
        }
    }
}
