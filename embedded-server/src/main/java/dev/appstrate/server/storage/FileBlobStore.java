package dev.appstrate.server.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/** Objects as files under one folder (the default, {@code DATA_DIR/storage}); writes go to a staged file moved into place. */
public final class FileBlobStore implements BlobStore {
    private final Path root;
    private final UploadStaging staging;

    public FileBlobStore(Path root) {
        this.root = root;
        this.staging = new UploadStaging(root);
    }

    @Override
    public void put(String key, byte[] bytes) {
        Path target = path(key);
        Path tmp = null;
        try {
            // staged in .uploads, not beside the target: what a crash leaves there is swept at the next boot
            tmp = staging.newFile();
            Files.write(tmp, bytes);
            putFile(key, tmp);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store " + target, e);
        } finally {
            deleteQuietly(tmp); // already gone once moved into place
        }
    }

    @Override
    public UploadStaging staging() {
        return staging;
    }

    @Override
    public void putFile(String key, Path file) {
        Path target = path(key);
        try {
            Files.createDirectories(target.getParent());
            try {
                Files.move(file, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(file, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot store " + target, e);
        }
    }

    @Override
    public byte[] get(String key) {
        try {
            return Files.readAllBytes(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path(key), e);
        }
    }

    @Override
    public InputStream open(String key) {
        try {
            return Files.newInputStream(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + path(key), e);
        }
    }

    @Override
    public List<String> list(String prefix) {
        Path dir = path(prefix);
        List<String> keys = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return keys;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.filter(Files::isRegularFile).filter(f -> !f.getFileName().toString().startsWith(".staging-"))
                    .forEach(f -> keys.add(root.relativize(f).toString().replace('\\', '/')));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + dir, e);
        }
        return keys;
    }

    @Override
    public void delete(String key) {
        try {
            Files.deleteIfExists(path(key));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + path(key), e);
        }
    }

    @Override
    public void deletePrefix(String prefix) {
        Path dir = path(prefix);
        if (!Files.exists(dir)) {
            return;
        }
        try {
            FileTrees.delete(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + dir, e);
        }
    }

    @Override
    public String describe() {
        return "filesystem path=" + root;
    }

    private Path path(String key) {
        Path p = root.resolve(key).normalize();
        // keys are built from validated ids, but a key escaping the folder must never be written
        if (!p.startsWith(root.normalize())) {
            throw new IllegalArgumentException("Storage key outside the storage folder: " + key);
        }
        return p;
    }

    private static void deleteQuietly(Path p) {
        if (p == null) {
            return;
        }
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // a stray temp file is harmless: listings skip it and the next write of the key replaces the target
        }
    }
}
