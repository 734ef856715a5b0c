package dev.appstrate.server.testing;

import java.net.URI;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The real S3-compatible server (S3Proxy) that {@code .ci/run} starts: {@code APPSTRATE_TEST_S3_ENDPOINT} with
 * {@code APPSTRATE_TEST_S3_ACCESS_KEY}/{@code APPSTRATE_TEST_S3_SECRET_KEY}. Without it an S3 test fails with how to
 * start one, unless {@code -Dappstrate.test.skipS3=true} skips it on purpose.
 */
public final class TestS3 {
    public static final String ENV = "APPSTRATE_TEST_S3_ENDPOINT";
    public static final String REGION = "us-east-1";

    private TestS3() {
    }

    public static String endpoint() {
        String url = System.getenv(ENV);
        if (url == null || url.isBlank()) {
            Assumptions.assumeFalse(Boolean.getBoolean("appstrate.test.skipS3"), "skipped: -Dappstrate.test.skipS3=true");
            throw new AssertionError(ENV + " is not set: run .ci/s3proxy-up.sh (it starts S3Proxy and prints the exports; "
                    + ".ci/run does this), or skip with -Dappstrate.test.skipS3=true");
        }
        return url;
    }

    public static String accessKey() {
        return System.getenv().getOrDefault("APPSTRATE_TEST_S3_ACCESS_KEY", "appstrate-test");
    }

    public static String secretKey() {
        return System.getenv().getOrDefault("APPSTRATE_TEST_S3_SECRET_KEY", "appstrate-test-secret");
    }

    /** A client for checking what the server wrote, behind its back. */
    public static S3Client client() {
        return S3Client.builder().region(Region.of(REGION)).endpointOverride(URI.create(endpoint())).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey(), secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
    }

    /** A new empty bucket of this test's own. */
    public static String freshBucket() {
        String bucket = "t-" + UUID.randomUUID().toString().substring(0, 13);
        try (S3Client c = client()) {
            c.createBucket(b -> b.bucket(bucket));
        }
        return bucket;
    }

    /** The server environment that puts its files in {@code bucket}. */
    public static Map<String, String> serverEnv(String bucket) {
        return Map.of("S3_BUCKET", bucket, "S3_REGION", REGION, "S3_ENDPOINT", endpoint(),
                "AWS_ACCESS_KEY_ID", accessKey(), "AWS_SECRET_ACCESS_KEY", secretKey());
    }
}
