package dev.appstrate.server.storage;

import dev.appstrate.server.config.ServerConfig;

/** Chooses the store at boot: S3 when {@code S3_BUCKET} is set, the data folder's {@code storage/} otherwise. */
public final class BlobStores {
    private BlobStores() {
    }

    /** Opens and checks the store; a bucket that cannot be reached is a {@link StorageUnavailableException}. */
    public static BlobStore open(ServerConfig.Storage storage) {
        if (storage.s3() == null) {
            return new FileBlobStore(storage.storageDir());
        }
        // the SDK's classes are loaded here and only here
        S3BlobStore s3 = new S3BlobStore(storage.s3(), storage.storageDir());
        try {
            s3.checkBucket();
        } catch (RuntimeException e) {
            s3.close();
            throw e;
        }
        return s3;
    }
}
