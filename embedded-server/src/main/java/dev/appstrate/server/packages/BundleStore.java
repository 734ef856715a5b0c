package dev.appstrate.server.packages;

import dev.appstrate.server.storage.BlobStore;
import java.io.UncheckedIOException;

/**
 * Package bundles under {@code packages/@scope/name/<version>.afps} in the server's {@link BlobStore} (the data folder's
 * {@code storage/} or an S3 bucket). PackageService writes a bundle inside its version's transaction, so a failed write
 * leaves no version row.
 */
public final class BundleStore {
    private final BlobStore blobs;

    public BundleStore(BlobStore blobs) {
        this.blobs = blobs;
    }

    /** Writes a version's bundle, replacing any earlier one under the same key. */
    public void put(String packageId, String version, byte[] bytes) {
        blobs.put(key(packageId, version), bytes);
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
