package dev.appstrate.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.config.S3Settings;
import dev.appstrate.server.testing.PackageZips;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Package bundles in a real S3-compatible bucket (S3Proxy from .ci/run): stored, downloaded, deleted; a bad bucket stops the boot. */
class S3StorageTest {
    @TempDir
    Path dataDir;

    @Test
    void importedBundlesLiveInTheBucketAndComeBackOnDownload() throws Exception {
        String bucket = TestS3.freshBucket();
        try (TestServer server = TestServer.start(dataDir, TestS3.serverEnv(bucket))) {
            byte[] zip = PackageZips.agent("@acme/clouded", "1.0.0", "# Clouded\nSay hi.");
            assertEquals(201, upload(server, zip).statusCode());

            assertEquals(List.of("packages/@acme/clouded/1.0.0.afps"), keys(bucket));
            assertFalse(Files.exists(dataDir.resolve("storage/packages/@acme")), "nothing written to the data folder");

            HttpResponse<byte[]> dl = download(server, "/api/packages/@acme/clouded/1.0.0/download");
            assertEquals(200, dl.statusCode());
            assertTrue(entries(dl.body()).contains("manifest.json"), "the downloaded bundle is the imported package");
            try (S3Client c = TestS3.client()) {
                assertArrayEquals(dl.body(), c.getObjectAsBytes(b -> b.bucket(bucket).key("packages/@acme/clouded/1.0.0.afps"))
                        .asByteArray());
            }

            assertEquals(204, server.delete("/api/packages/agents/@acme/clouded").statusCode());
            assertEquals(List.of(), keys(bucket), "deleting the package deletes its bundles from the bucket");
        }
    }

    @Test
    void theBlobStoreRoundTripsListsAndDeletesByPrefix() {
        String bucket = TestS3.freshBucket();
        try (S3BlobStore store = new S3BlobStore(settings(bucket, TestS3.secretKey()), dataDir.resolve("storage"))) {
            store.checkBucket();
            store.put("packages/@a/x/1.0.0.afps", new byte[] {1, 2, 3});
            store.put("packages/@a/x/1.1.0.afps", new byte[] {4});
            store.put("packages/@a/xy/1.0.0.afps", new byte[] {5});
            assertArrayEquals(new byte[] {1, 2, 3}, store.get("packages/@a/x/1.0.0.afps"));
            assertEquals(2, store.list("packages/@a/x/").size());
            store.deletePrefix("packages/@a/x/");
            assertEquals(List.of("packages/@a/xy/1.0.0.afps"), store.list("packages/"), "a sibling with a longer name survives");
            assertTrue(store.describe().startsWith("s3 bucket=" + bucket + " endpoint=http"), store.describe());
        }
    }

    @Test
    void aMissingBucketStopsTheBootWithExitOneAndNeverPrintsTheSecret() throws Exception {
        Map<String, String> env = new HashMap<>(TestServer.env(dataDir, TestS3.serverEnv("no-such-bucket-appstrate")));
        env.put("AWS_SECRET_ACCESS_KEY", TestS3.secretKey());
        env.put("LOG_LEVEL", "debug");
        ServerProcess.Result r = ServerProcess.run(env, 90);
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("S3 storage unavailable: bucket 'no-such-bucket-appstrate' at " + TestS3.endpoint()), r.stderr());
        assertTrue(r.stderr().contains("the bucket does not exist"), r.stderr());
        assertFalse((r.stdout() + r.stderr()).contains(TestS3.secretKey()), "the secret never printed");
    }

    @Test
    void refusedCredentialsAreNamedAtBoot() {
        String bucket = TestS3.freshBucket();
        try (S3BlobStore store = new S3BlobStore(settings(bucket, "wrong-secret-zzz"), dataDir.resolve("storage"))) {
            StorageUnavailableException e = org.junit.jupiter.api.Assertions.assertThrows(StorageUnavailableException.class,
                    store::checkBucket);
            assertTrue(e.getMessage().contains("access denied"), e.getMessage());
            assertFalse(e.getMessage().contains("wrong-secret-zzz"), e.getMessage());
        }
    }

    private static S3Settings settings(String bucket, String secret) {
        return new S3Settings(bucket, TestS3.REGION, TestS3.endpoint(), TestS3.accessKey(), secret);
    }

    private static HttpResponse<String> upload(TestServer server, byte[] zip) {
        Object[] mp = PackageZips.multipart("file", "pkg.afps", zip);
        return server.raw("POST", "/api/packages/import", (byte[]) mp[1], Map.of("Authorization", "Bearer " + server.ownerToken(),
                "X-App-Id", server.defaultAppId(), "Content-Type", (String) mp[0]));
    }

    private static HttpResponse<byte[]> download(TestServer server, String path) throws Exception {
        java.net.http.HttpRequest req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(server.url() + path))
                .header("Authorization", "Bearer " + server.ownerToken()).header("X-App-Id", server.defaultAppId()).build();
        return java.net.http.HttpClient.newHttpClient().send(req, HttpResponse.BodyHandlers.ofByteArray());
    }

    private static List<String> keys(String bucket) {
        try (S3Client c = TestS3.client()) {
            return c.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    private static List<String> entries(byte[] zip) throws Exception {
        List<String> names = new java.util.ArrayList<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            for (var e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                names.add(e.getName());
            }
        }
        return names;
    }
}
