package dev.keyward.it.harness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Looks for known secret values in log files; reports where, never the value itself. */
public final class LogScan {
    /** A secret found: its kind, the file and the line number (the value stays out of reports). */
    public record Finding(TestSecrets.Kind kind, Path file, int line) {
        @Override
        public String toString() {
            return kind + " in " + file.getFileName() + ":" + line;
        }
    }

    private LogScan() {}

    public static List<Finding> scan(List<Path> logs, Map<String, TestSecrets.Kind> secrets) throws IOException {
        List<Finding> findings = new ArrayList<>();
        for (Path log : logs) {
            // ISO-8859-1: any byte is a character, so a log with stray bytes is still read whole
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, TestSecrets.Kind> secret : secrets.entrySet()) {
                // codes are short digit strings: only a whole number counts, not digits inside a longer one
                Pattern code = secret.getValue() == TestSecrets.Kind.CODE
                        ? Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(secret.getKey()) + "(?![0-9A-Za-z])")
                        : null;
                for (int i = 0; i < lines.size(); i++) {
                    String line = lines.get(i);
                    if (code != null ? code.matcher(line).find() : line.contains(secret.getKey())) {
                        findings.add(new Finding(secret.getValue(), log, i + 1));
                    }
                }
            }
        }
        return findings;
    }
}
