package dev.appstrate.server.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * S3-compatible storage from the original's variables: {@code S3_BUCKET}, {@code S3_REGION}, {@code S3_ENDPOINT}
 * (MinIO-like servers, reached with path-style URLs), credentials from {@code AWS_ACCESS_KEY_ID}/{@code AWS_SECRET_ACCESS_KEY}
 * or, when those are unset, the AWS SDK's default chain.
 */
public record S3Settings(String bucket, String region, String endpoint, String accessKeyId, String secretAccessKey) {

    /** The S3 variables alone, checked as at boot (move-data reads no other); null when S3_BUCKET is unset. */
    public static S3Settings fromEnvironment(Map<String, String> environment) {
        List<String> problems = new ArrayList<>();
        S3Settings s3 = read(environment::get, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return s3;
    }

    /** S3_BUCKET set: files in that bucket (S3_REGION required as in the original); unset: the data folder. */
    static S3Settings read(Function<String, String> env, List<String> problems) {
        String bucket = blankToNull(env.apply("S3_BUCKET"));
        if (bucket == null) {
            return null;
        }
        String region = blankToNull(env.apply("S3_REGION"));
        if (region == null) {
            problems.add("S3_REGION: S3_REGION is required when S3_BUCKET is set");
        }
        String endpoint = blankToNull(env.apply("S3_ENDPOINT"));
        if (endpoint != null && !endpoint.matches("^https?://[^/?#]+/?$")) {
            problems.add("S3_ENDPOINT: must be an http:// or https:// origin such as http://127.0.0.1:9000");
        }
        String keyId = blankToNull(env.apply("AWS_ACCESS_KEY_ID"));
        String secret = blankToNull(env.apply("AWS_SECRET_ACCESS_KEY"));
        if ((keyId == null) != (secret == null)) {
            problems.add("AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY: set both, or neither to use the AWS default credential chain");
        }
        return new S3Settings(bucket, region, endpoint, keyId, secret);
    }

    private static String blankToNull(String v) {
        return v == null || v.isBlank() ? null : v.trim();
    }

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
