package dev.appstrate.server.packages;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Package bundles on disk: {@code storage/packages/@scope/name/<version>.afps}. A bundle is staged
 * to a temporary file next to its target and moved into place atomically once the database agrees.
 */
public final class BundleStore {
    private final Path root;

    public BundleStore(Path storageDir) {
        this.root = storageDir.resolve("packages");
    }

    public Path root() {
        return root;
    }

    /** Bytes written beside their final place; {@link #commit()} moves them there, {@link #discard()} drops them. */
    public final class Staged {
        private final Path tmp;
        private final Path target;

        private Staged(Path tmp, Path target) {
            this.tmp = tmp;
            this.target = target;
        }

        public void commit() {
            try {
                try {
                    Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot store package bundle " + target, e);
            }
        }

        public void discard() {
            try {
                Files.deleteIfExists(tmp);
            } catch (IOException ignored) {
                // a stray temp file is harmless and is overwritten by name on the next stage
            }
        }
    }

    public Staged stage(String packageId, String version, byte[] bytes) {
        Path target = path(packageId, version);
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), ".staging-", ".tmp");
            Files.write(tmp, bytes);
            return new Staged(tmp, target);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot stage package bundle " + target, e);
        }
    }

    public byte[] read(String packageId, String version) {
        try {
            return Files.readAllBytes(path(packageId, version));
        } catch (IOException e) {
            throw new UncheckedIOException("Package bundle missing for " + packageId + "@" + version, e);
        }
    }

    public void deletePackage(String packageId) {
        Path dir = root.resolve(scopeDir(packageId)).resolve(nameDir(packageId));
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                    Files.delete(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete bundles of " + packageId, e);
        }
    }

    Path path(String packageId, String version) {
        // ids and versions were validated against strict patterns, so they are safe path segments
        return root.resolve(scopeDir(packageId)).resolve(nameDir(packageId)).resolve(version + ".afps");
    }

    private static String scopeDir(String packageId) {
        return packageId.substring(0, packageId.indexOf('/'));
    }

    private static String nameDir(String packageId) {
        return packageId.substring(packageId.indexOf('/') + 1);
    }
}
