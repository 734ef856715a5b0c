package dev.appstrate.server.config;

/**
 * S3-compatible storage from the original's variables: {@code S3_BUCKET}, {@code S3_REGION}, {@code S3_ENDPOINT}
 * (MinIO-like servers, reached with path-style URLs), credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * or, when those are unset, the AWS SDK's default chain.
 */
public record S3Settings(String bucket, String region, String endpoint, String accessKeyId, String secretAccessKey) {

    /** Where the bucket lives as the boot log shows it: the endpoint, or "AWS" as the original says. */
    public String endpointShown() {
        return endpoint == null ? "AWS" : endpoint;
    }

    @Override
    public String toString() {
        return "S3Settings[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpointShown() + ", accessKeyId="
                + (accessKeyId == null ? "default chain" : accessKeyId) + ", secretAccessKey=…]"; // never print the secret
    }
}
