package dev.appstrate.server.storage;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

/** The storage package's one recursive delete (a prefix of objects, a folder of leftover uploads). */
final class FileTrees {
    /** What a delete removed: regular files and their bytes. */
    record Deleted(int files, long bytes) {
    }

    private FileTrees() {
    }

    /** Deletes {@code dir} and everything under it; stops at the first file that cannot be deleted. */
    static Deleted delete(Path dir) throws IOException {
        int[] files = {0};
        long[] bytes = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                files[0]++;
                bytes[0] += attrs.size();
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Files.delete(d);
                return FileVisitResult.CONTINUE;
            }
        });
        return new Deleted(files[0], bytes[0]);
    }
}
