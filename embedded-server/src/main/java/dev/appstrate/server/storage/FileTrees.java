package dev.appstrate.server.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The server's one recursive delete (a prefix of objects, a folder of leftover uploads, a run's folder). */
public final class FileTrees {
    /** What a delete removed: regular files and their bytes. */
    public record Deleted(int files, long bytes) {
    }

    private FileTrees() {
    }

    /**
     * Deletes {@code dir} and everything under it, never following a link; what vanishes meanwhile counts as deleted,
     * and it stops at the first file that cannot be deleted.
     */
    public static Deleted delete(Path dir) throws IOException {
        int[] files = {0};
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (Files.deleteIfExists(file)) {
                    files[0]++;
                    bytes[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException exc) throws IOException {
                if (exc instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw exc;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null && !(exc instanceof NoSuchFileException)) {
                    throw exc;
                }
                Files.deleteIfExists(d);
                return FileVisitResult.CONTINUE;
            }
        });
        return new Deleted(files[0], bytes[0]);
    }
}
