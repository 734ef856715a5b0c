package dev.appstrate.server.storage;

import dev.appstrate.server.config.S3Settings;

/** The S3 bucket could not be reached at boot: what was tried (never the secret) and how to check it by hand. */
public final class StorageUnavailableException extends RuntimeException {
    private final String reason;

    public StorageUnavailableException(S3Settings s3, String reason, Throwable cause) {
        super("S3 storage unavailable: bucket '" + s3.bucket() + "' at " + s3.endpointShown() + " (S3_BUCKET, S3_ENDPOINT): "
                + reason + "\n"
                + "  - Make sure the S3-compatible server is running and the bucket exists.\n"
                + "  - Check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (or the AWS default credential chain) and S3_REGION.\n"
                + "  - Or unset S3_BUCKET to keep files in DATA_DIR/storage on this machine.", cause);
        this.reason = reason;
    }

    /** Why the bucket could not be used (never the secret), for messages that say the rest their own way (move-data). */
    public String reason() {
        return reason;
    }
}
