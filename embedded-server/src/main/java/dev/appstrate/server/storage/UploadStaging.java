package dev.appstrate.server.storage;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where uploads are spooled before they become objects: {@code DATA_DIR/storage/.uploads}, in S3 mode too (never the
 * machine's shared temp folder), and the clean-up of what a killed server left there. The storage root always lies
 * inside the data folder, which one server holds at a time ({@code DataFolderLock}), so at boot nothing else can be
 * writing there and every staged file found is a leftover: no age threshold is needed.
 */
public final class UploadStaging {
    private static final Logger LOG = LoggerFactory.getLogger(UploadStaging.class);
    static final String FOLDER = ".uploads";
    /** Prefix of a folder of leftovers set aside at boot, deleted in the background. */
    static final String SET_ASIDE = ".uploads-left-";
    private final Path root;

    public UploadStaging(Path storageRoot) {
        this.root = storageRoot;
    }

    /** A new empty file in {@code .uploads} (the store's own disk, so the file store's put is a rename, not a copy). */
    public Path newFile() throws IOException {
        Path dir = root.resolve(FOLDER);
        Files.createDirectories(dir);
        return Files.createTempFile(dir, ".staging-", ".tmp");
    }

    /**
     * At boot, before the server takes uploads: moves a non-empty {@code .uploads} aside in one rename, so the boot pays
     * no scan and later uploads never share a folder with what {@link #deleteLeftovers} is deleting.
     */
    public void setAsideLeftovers() {
        Path dir = root.resolve(FOLDER);
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            if (!entries.iterator().hasNext()) {
                return;
            }
        } catch (IOException e) {
            return; // no folder yet: nothing was ever staged
        }
        try {
            Files.move(dir, root.resolve(SET_ASIDE + UUID.randomUUID()));
        } catch (IOException e) {
            LOG.warn("Staged uploads a previous server left in {} not set aside (they stay until a later boot): {}", dir, e.toString());
        }
    }

    /**
     * Deletes every set-aside folder (this boot's, and any an earlier sweep did not finish); answers how many files went.
     * Failures are logged and the rest still deleted: a leftover only costs disk until the next boot.
     */
    public int deleteLeftovers() {
        List<Path> folders = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(root, SET_ASIDE + "*")) {
            entries.forEach(folders::add);
        } catch (IOException e) {
            LOG.warn("Storage folder {} not listed for staged-upload leftovers: {}", root, e.toString());
            return 0;
        }
        int files = 0;
        long bytes = 0;
        for (Path folder : folders) {
            try {
                FileTrees.Deleted d = FileTrees.delete(folder);
                files += d.files();
                bytes += d.bytes();
            } catch (IOException e) {
                LOG.warn("Staged uploads in {} not all deleted (retried at the next boot): {}", folder, e.toString());
            }
        }
        if (files > 0) {
            LOG.info("Storage: deleted {} staged uploads ({} bytes) a stopped or killed server left behind", files, bytes);
        }
        return files;
    }
}
