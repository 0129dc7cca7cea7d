package dev.kizuna;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** Copies of the sample content, for tests that add or break files without touching the real folders. */
public final class TestFolders {

    private TestFolders() {}

    /** A new temporary folder holding copies of the sample rules/ and templates/, to add or break files in. */
    public static Path copyOfSamples(String prefix) throws IOException {
        Path root = Files.createTempDirectory(prefix);
        copyTree(Path.of("rules"), root.resolve("rules"));
        copyTree(Path.of("templates"), root.resolve("templates"));
        return root;
    }

    /** Copies a folder with everything in it. */
    public static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path source : files.toList()) {
                Path target = to.resolve(from.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
    }
}
