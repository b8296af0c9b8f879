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

    /**
     * Codes are short digit strings: only a whole one counts, not the same digits inside a longer
     * number (a timestamp, an id), which would fail a scan by chance.
     */
    public static Pattern wholeCode(String code) {
        return Pattern.compile("(?<![0-9A-Za-z])" + Pattern.quote(code) + "(?![0-9A-Za-z])");
    }

    public static List<Finding> scan(List<Path> logs, Map<String, TestSecrets.Kind> secrets) throws IOException {
        List<Finding> findings = new ArrayList<>();
        for (Path log : logs) {
            // ISO-8859-1: any byte is a character, so a log with stray bytes is still read whole
            List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
            for (Map.Entry<String, TestSecrets.Kind> secret : secrets.entrySet()) {
                Pattern code = secret.getValue() == TestSecrets.Kind.CODE ? wholeCode(secret.getKey()) : null;
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
