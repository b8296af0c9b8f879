package dev.keyward.it.ops;

import dev.keyward.it.harness.KeycloakServer;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The WARN and ERROR lines both nodes log from now on, for a test to print when its clients saw
 * errors: a failed load run on a CI machine then says what the nodes thought went wrong. Lines
 * that differ only in their time, thread or ids are counted once. The logs hold no test secret
 * ({@link LogScanIT} checks), so neither does this.
 */
final class NodeWarnings {
    private static final int MAX_DISTINCT = 25;
    private static final int MAX_CHARS = 400;
    private static final long MAX_BYTES = 64L * 1024 * 1024;

    private final Map<Path, Long> start;

    private NodeWarnings(Map<Path, Long> start) {
        this.start = start;
    }

    /** Marks where both nodes' logs end now. */
    static NodeWarnings from(ClusterNodes cluster) {
        Map<Path, Long> start = new LinkedHashMap<>();
        for (KeycloakServer node : List.of(cluster.a(), cluster.b())) {
            Path log = node.logFile();
            try {
                start.put(log, Files.exists(log) ? Files.size(log) : 0L);
            } catch (IOException e) {
                start.put(log, 0L);
            }
        }
        return new NodeWarnings(start);
    }

    /** Prints the distinct WARN and ERROR lines logged since {@link #from}, with how often each came. */
    void print() {
        for (Map.Entry<Path, Long> log : start.entrySet()) {
            Map<String, Integer> distinct = new LinkedHashMap<>();
            for (String line : linesSince(log.getKey(), log.getValue())) {
                if (line.contains(" WARN ") || line.contains(" ERROR ")) {
                    distinct.merge(shape(line), 1, Integer::sum);
                }
            }
            System.out.println(log.getKey().getFileName() + ": " + distinct.size() + " distinct WARN/ERROR lines");
            // the most frequent first: one failure mode repeated must not crowd out the others
            distinct.entrySet().stream()
                    .sorted(Map.Entry.<String, Integer>comparingByValue().reversed())
                    .limit(MAX_DISTINCT)
                    .forEach(e -> System.out.println("  " + e.getValue() + "x " + e.getKey()));
        }
    }

    /** A line without its time stamp, thread, ids and random values, cut to a readable length. */
    static String shape(String line) {
        String s = line.replaceFirst("^\\S+ \\S+\\s+", "")
                .replaceAll("\\(([^()\\s]*?)-\\d+\\)", "($1-N)")
                .replaceAll("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", "<id>")
                .replaceAll("(code_id|authSessionParentId|authSessionTabId|ipAddress)=\"[^\"]*\"", "$1=\"<x>\"")
                .replaceAll("bench-user-\\d+", "bench-user-N");
        return s.length() <= MAX_CHARS ? s : s.substring(0, MAX_CHARS) + "...";
    }

    private static List<String> linesSince(Path log, long offset) {
        try (RandomAccessFile file = new RandomAccessFile(log.toFile(), "r")) {
            long length = file.length();
            if (length <= offset) {
                return List.of();
            }
            // at most the last MAX_BYTES: what led up to the end of the run
            long from = Math.max(offset, length - MAX_BYTES);
            byte[] bytes = new byte[(int) (length - from)];
            file.seek(from);
            file.readFully(bytes);
            if (from > offset) {
                System.out.println(log.getFileName() + ": only its last " + MAX_BYTES / (1024 * 1024) + " MiB read");
            }
            return new String(bytes, StandardCharsets.UTF_8).lines().toList();
        } catch (IOException e) {
            return List.of("cannot read " + log + ": " + e.getMessage());
        }
    }
}
