package dev.keyward.it.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** {@code jcmd} against the Keycloak JVM, for the profilers that start and stop inside it. */
final class Jcmd {
    private Jcmd() {}

    /**
     * Runs {@code jcmd pid command...}; fails unless it exits 0 within a minute and its output
     * passes {@code succeeded} (jcmd exits 0 for many a failed diagnostic command).
     */
    static void run(long pid, Predicate<String> succeeded, String... command) {
        List<String> args = new ArrayList<>(List.of("jcmd", Long.toString(pid)));
        args.addAll(List.of(command));
        try {
            Process p = new ProcessBuilder(args).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0 || !succeeded.test(out)) {
                throw new IllegalStateException(String.join(" ", args) + ": " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(String.join(" ", args), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
