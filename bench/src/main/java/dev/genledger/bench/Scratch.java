package dev.genledger.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * Temporary files and directories of a benchmark, deleted when the JVM exits: a proxy run leaves a
 * database of over a million rows, and a hundred runs used to fill the disk.
 */
final class Scratch {
    private static final List<Path> PATHS = new ArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Scratch::deleteAll, "bench-scratch-cleanup"));
    }

    private Scratch() {}

    static synchronized Path dir(String prefix) throws IOException {
        Path p = Files.createTempDirectory(prefix);
        PATHS.add(p);
        return p;
    }

    static synchronized Path file(String prefix, String suffix) throws IOException {
        Path p = Files.createTempFile(prefix, suffix);
        PATHS.add(p);
        return p;
    }

    private static synchronized void deleteAll() {
        for (Path root : PATHS) {
            if (!Files.exists(root)) {
                continue;
            }
            try (Stream<Path> all = Files.walk(root)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException | RuntimeException e) {
                System.err.println("bench: could not delete " + root + ": " + e);
            }
        }
    }
}
