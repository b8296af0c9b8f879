package dev.keyward.it.harness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code src/test/node/opaque-login.mjs}, the wire API's Node client, against a realm and
 * returns the JSON it prints (see the script's header). Passwords go through the environment.
 */
public final class NodeClient {
    private static final long TIMEOUT_SECONDS = 120;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String realmUrl;
    private final String clientId;
    private final String redirectUri;

    /** @param realmUrl the realm's URL; {@code clientId} a public PKCE client allowing {@code redirectUri} */
    public NodeClient(String realmUrl, String clientId, String redirectUri) {
        this.realmUrl = realmUrl;
        this.clientId = clientId;
        this.redirectUri = redirectUri;
    }

    /**
     * @param mode {@code login} or {@code register}
     * @param legacyPassword for {@code register}: the Keycloak password of the first login
     * @param extra further options, e.g. {@code --no-rekey}
     */
    public JsonNode run(String mode, String username, String password, String legacyPassword, String... extra)
            throws Exception {
        Path dir = Path.of(ItConfig.get("keyward.it.node.client.dir", "target/node-client"))
                .toAbsolutePath();
        List<String> command = new ArrayList<>(List.of(
                ItConfig.get("keyward.it.node", "node"),
                "opaque-login.mjs",
                mode,
                "--realm-url",
                realmUrl,
                "--client-id",
                clientId,
                "--redirect-uri",
                redirectUri,
                "--username",
                username));
        command.addAll(List.of(extra));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile());
        builder.environment().put("KEYWARD_PASSWORD", password);
        if (legacyPassword != null) {
            builder.environment().put("KEYWARD_LEGACY_PASSWORD", legacyPassword);
        }
        Process process = builder.start();
        process.getOutputStream().close();
        CompletableFuture<String> stdout = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
        CompletableFuture<String> stderr = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("opaque-login.mjs " + mode + " did not finish in " + TIMEOUT_SECONDS + " s");
        }
        String err = stderr.get(10, TimeUnit.SECONDS);
        if (!err.isEmpty()) {
            System.err.println("[opaque-login.mjs " + mode + "] " + err);
        }
        String out = stdout.get(10, TimeUnit.SECONDS);
        assertEquals(0, process.exitValue(), "exit code; stdout: " + out + " stderr: " + err);
        assertFalse(out.contains(password), "the script printed the password");
        return JSON.readTree(out);
    }

    private static String read(InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
