package dev.appstrate.desktop.launch;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Writes files only their owner can read (rw-------), atomically, so a secret is never briefly world-readable. */
public final class OwnerOnlyFiles {
    private static final Set<PosixFilePermission> RW_OWNER = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> RWX_OWNER = PosixFilePermissions.fromString("rwx------");

    private OwnerOnlyFiles() {
    }

    public static void createDirectories(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (posix(dir.getRoot() == null ? dir.toAbsolutePath() : dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(RWX_OWNER));
        } else {
            Files.createDirectories(dir);
        }
    }

    public static void write(Path file, byte[] content) throws IOException {
        createDirectories(file.toAbsolutePath().getParent());
        Path dir = file.toAbsolutePath().getParent();
        Path tmp;
        if (posix(dir)) {
            FileAttribute<Set<PosixFilePermission>> attr = PosixFilePermissions.asFileAttribute(RW_OWNER);
            tmp = Files.createTempFile(dir, ".tmp-", ".part", attr);
        } else {
            // Windows: the per-user profile folder already restricts access to its owner
            tmp = Files.createTempFile(dir, ".tmp-", ".part");
        }
        try {
            Files.write(tmp, content);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** Tightens an existing file to rw------- (a user may have copied it in with looser bits). */
    public static void restrict(Path file) throws IOException {
        if (posix(file)) {
            Files.setPosixFilePermissions(file, RW_OWNER);
        }
    }

    static boolean posix(Path p) throws IOException {
        Path existing = p.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        return existing != null && Files.getFileStore(existing).supportsFileAttributeView("posix");
    }
}
