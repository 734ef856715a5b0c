package dev.appstrate.server.packages;

import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.storage.FileBlobStore;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * Package bundles under {@code packages/@scope/name/<version>.afps} in the server's {@link BlobStore} (the data folder's
 * {@code storage/} or an S3 bucket). A bundle is staged in memory and written once the database agrees.
 */
public final class BundleStore {
    private final BlobStore blobs;

    public BundleStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Bundles on disk under {@code storageDir/packages}, as before S3 existed. */
    public BundleStore(Path storageDir) {
        this(new FileBlobStore(storageDir));
    }

    /** Bytes held until the database agrees; {@link #commit()} stores them, {@link #discard()} drops them. */
    public final class Staged {
        private final String key;
        private final byte[] bytes;

        private Staged(String key, byte[] bytes) {
            this.key = key;
            this.bytes = bytes;
        }

        public void commit() {
            blobs.put(key, bytes);
        }

        public void discard() {
            // nothing was written yet
        }
    }

    public Staged stage(String packageId, String version, byte[] bytes) {
        return new Staged(key(packageId, version), bytes);
    }

    public byte[] read(String packageId, String version) {
        try {
            return blobs.get(key(packageId, version));
        } catch (UncheckedIOException e) {
            throw new UncheckedIOException("Package bundle missing for " + packageId + "@" + version, e.getCause());
        }
    }

    public void deletePackage(String packageId) {
        blobs.deletePrefix("packages/" + packageId + "/");
    }

    static String key(String packageId, String version) {
        // ids ("@scope/name") and versions were validated against strict patterns, so they are safe key segments
        return "packages/" + packageId + "/" + version + ".afps";
    }
}
