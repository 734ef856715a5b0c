package dev.appstrate.server.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/** Files in the data folder readable by their owner only (0600), created so or tightened when older. */
public final class OwnerOnly {
    private static final Set<PosixFilePermission> RW = PosixFilePermissions.fromString("rw-------");

    private OwnerOnly() {
    }

    /** Creates the file empty with mode 0600 if absent, else sets 0600 on it. */
    public static Path file(Path file) throws IOException {
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(RW));
        } catch (FileAlreadyExistsException e) {
            tighten(file);
        } catch (UnsupportedOperationException e) {
            // not POSIX (Windows): the per-user profile folder restricts access
            if (!Files.exists(file)) {
                Files.createFile(file);
            }
        }
        return file;
    }

    /** Sets 0600 on the file when it exists. */
    public static void tighten(Path file) throws IOException {
        if (Files.exists(file)) {
            try {
                Files.setPosixFilePermissions(file, RW);
            } catch (UnsupportedOperationException ignored) {
                // not POSIX
            }
        }
    }
}
