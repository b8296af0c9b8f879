package dev.keyward.opaque;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Runs {@code target/interop/serenity-driver.mjs} under Node (installed by the build's
 * {@code npm ci}) and calls the npm package through it, one JSON line per call. Node is a hard
 * requirement: a missing node fails the tests instead of skipping them.
 */
final class SerenityDriver implements AutoCloseable {
    static final String PACKAGE_VERSION = "1.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final Writer stdin;
    private final BufferedReader stdout;
    private long nextId = 1;

    /** One reply: a result, or the library's error message, or undefinedResult for a returned undefined. */
    record Reply(boolean ok, JsonNode result, String error, boolean undefinedResult) {}

    private SerenityDriver(Process process) {
        this.process = process;
        this.stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        this.stdout = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
    }

    static SerenityDriver start(SerenityFlavor flavor) {
        String node = System.getProperty("keyward.node", "node");
        Path dir = Path.of(System.getProperty("keyward.interopDir", "target/interop"));
        Path script = dir.resolve("serenity-driver.mjs");
        if (!Files.isRegularFile(script) || !Files.isDirectory(dir.resolve("node_modules"))) {
            fail(script + " or its node_modules is missing: run the tests through Maven, whose "
                    + "generate-test-resources phase copies src/test/interop there and runs npm ci");
        }
        Process process;
        try {
            process = new ProcessBuilder(node, script.toString(), flavor.packageName)
                    .directory(dir.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            throw new AssertionError(
                    "cannot start Node.js ('" + node + "', set by the Maven property "
                            + "node.executable): the serenity interop tests need Node.js 18+ (CI uses 20) on the PATH",
                    e);
        }
        SerenityDriver driver = new SerenityDriver(process);
        try {
            JsonNode ready = driver.readLine();
            assertTrue(ready.path("ready").asBoolean(), "driver did not start: " + ready);
            assertEquals(flavor.packageName, ready.get("package").asText());
            // Proves the lockfile pin reached the process we talk to.
            assertEquals(PACKAGE_VERSION, ready.get("version").asText(), "installed package version");
            return driver;
        } catch (RuntimeException | AssertionError e) {
            driver.close();
            throw e;
        }
    }

    /** An empty params object to fill with the call's named arguments. */
    static ObjectNode params() {
        return JSON.createObjectNode();
    }

    /** Calls op and fails the test unless the library returned a value. */
    JsonNode call(String op, ObjectNode params) {
        Reply reply = tryCall(op, params);
        if (!reply.ok()) {
            fail(op + " failed in the npm package: " + reply.error());
        }
        return reply.result();
    }

    /** Calls op; the reply says whether the library returned, threw or returned undefined. */
    Reply tryCall(String op, ObjectNode params) {
        ObjectNode request = JSON.createObjectNode();
        long id = nextId++;
        request.put("id", id).put("op", op).set("params", params);
        try {
            stdin.write(JSON.writeValueAsString(request));
            stdin.write('\n');
            stdin.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("driver stdin closed (did node exit?)", e);
        }
        JsonNode response = readLine();
        assertEquals(id, response.path("id").asLong(), "reply out of order: " + response);
        return new Reply(
                response.path("ok").asBoolean(),
                response.get("result"),
                response.path("error").asText(null),
                response.path("undefinedResult").asBoolean());
    }

    private JsonNode readLine() {
        try {
            String line = stdout.readLine();
            if (line == null) {
                fail("serenity driver exited (" + exitCode() + "); its stderr is in the test output");
            }
            return JSON.readTree(line);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read from the serenity driver", e);
        }
    }

    private String exitCode() {
        try {
            return process.waitFor(5, TimeUnit.SECONDS) ? "exit code " + process.exitValue() : "still running";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Closes stdin, on which the driver exits; kills it only if it does not. */
    @Override
    public void close() {
        try {
            stdin.close();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (IOException e) {
            process.destroyForcibly();
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
