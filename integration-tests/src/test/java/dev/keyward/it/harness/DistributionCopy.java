package dev.keyward.it.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Copies the distribution keycloak-dist built into a per-run directory. The tests never start the
 * built directory in place: run.sh keeps its dev H2 database and admin password there, and a test run
 * must neither see nor change them. Of {@code data/} only {@code data/import} (the realm export) is copied.
 */
public final class DistributionCopy {
    private DistributionCopy() {}

    public static Path fresh(Path source, Path target) {
        if (!Files.isExecutable(source.resolve("bin/kc.sh"))) {
            throw new IllegalStateException("No Keycloak distribution at " + source
                    + ": build it first, e.g. mvn -B -DskipTests -pl keycloak-dist -am package");
        }
        try {
            deleteRecursively(target);
            Files.walkFileTree(source, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                    Path rel = source.relativize(dir);
                    if (rel.startsWith("data")
                            && rel.getNameCount() > 1
                            && !rel.startsWith(Path.of("data", "import"))) {
                        return FileVisitResult.SKIP_SUBTREE;
                    }
                    Files.createDirectories(target.resolve(rel));
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Path rel = source.relativize(file);
                    if (rel.startsWith("data") && !rel.startsWith(Path.of("data", "import"))) {
                        return FileVisitResult.CONTINUE;
                    }
                    Files.copy(file, target.resolve(rel), StandardCopyOption.COPY_ATTRIBUTES);
                    return FileVisitResult.CONTINUE;
                }
            });
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("copying " + source + " to " + target, e);
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
