package dev.appstrate.server.storage;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.documentsOf;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static dev.appstrate.server.testing.RunFixtures.writesOutput;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.config.S3Settings;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.runs.RunDocumentRepository;
import dev.appstrate.server.runs.RunDocuments;
import dev.appstrate.server.runs.RunDocumentsTest;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Run documents in a real S3-compatible bucket (S3Proxy from .ci/run): stored, served, deleted with their run; a refused put leaves nothing. */
class S3RunDocumentsTest {
    static final String REPORT = "# Report\nStored in the bucket.\n";

    @TempDir
    Path dataDir;

    @Test
    void aRunsDocumentLivesInTheBucketIsServedFromItAndGoesWithItsRun() throws Exception {
        String bucket = TestS3.freshBucket();
        try (ScriptedModelServer model = writesOutput("report.md", REPORT);
             TestServer s = TestServer.start(dataDir, TestS3.serverEnv(bucket))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "clouded-reporter", null);
            String runId = startRun(s, "clouded-reporter", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());
            String id = documentsOf(s, runId).get(0).get("id").asText();

            String key = "runs/" + runId + "/documents/" + id;
            assertTrue(keys(bucket).contains(key), keys(bucket).toString());
            try (S3Client c = TestS3.client()) {
                assertArrayEquals(REPORT.getBytes(StandardCharsets.UTF_8), c.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            }
            assertFalse(Files.exists(dataDir.resolve("storage/runs")), "nothing written to the data folder");
            HttpResponse<String> content = s.get("/api/documents/" + id + "/content");
            assertEquals(200, content.statusCode(), content.body());
            assertEquals(REPORT, content.body());

            assertEquals(200, s.delete("/api/agents/@local/clouded-reporter/runs").statusCode());
            assertTrue(keys(bucket).stream().noneMatch(k -> k.startsWith("runs/")), "the run's objects deleted: " + keys(bucket));
            assertTrue(keys(bucket).stream().anyMatch(k -> k.startsWith("packages/@local/clouded-reporter/")),
                    "the agent's bundle stays: " + keys(bucket));
        }
    }

    @Test
    void aPutTheBucketRefusesIsA503SayingWhyAndLeavesNoRow() throws Exception {
        String bucket = TestS3.freshBucket();
        String gone = TestS3.freshBucket();
        try (S3Client c = TestS3.client()) {
            c.deleteBucket(b -> b.bucket(gone));
        }
        try (ScriptedModelServer model = writesOutput("report.md", REPORT);
             TestServer s = TestServer.start(dataDir, TestS3.serverEnv(bucket));
             S3BlobStore refusing = new S3BlobStore(new S3Settings(gone, TestS3.REGION, TestS3.endpoint(), TestS3.accessKey(),
                     TestS3.secretKey()), dataDir.resolve("storage"))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "refused", null);
            String runId = startRun(s, "refused", "{}").get("id").asText();
            awaitTerminal(s, runId);
            RunRecord run = s.server().components().runRepository().find(runId).orElseThrow();
            RunDocuments documents = new RunDocuments(new RunDocumentRepository(s.server().database()), refusing, Clock.systemUTC());

            ApiException e = assertThrows(ApiException.class,
                    () -> documents.publish(run, "second.txt", "text/plain", null,
                            new ByteArrayInputStream("more".getBytes(StandardCharsets.UTF_8)), 1024));
            assertEquals(503, e.status());
            assertEquals("storage_unavailable", e.code());
            assertTrue(e.getMessage().contains("s3://" + gone + "/runs/" + runId + "/documents/"), e.getMessage());
            assertFalse(e.getMessage().contains(TestS3.secretKey()), "the secret never shown");
            List<String> names = documentsOf(s, runId).findValues("name").stream().map(n -> n.asText()).toList();
            assertEquals(List.of("report.md"), names, "no row for the refused document");
        }
    }

    @Test
    void aLargeDocumentStreamsIntoTheBucketOneOverTheLimitLeavesNothingAndDeleteRemovesTheObject() throws Exception {
        String bucket = TestS3.freshBucket();
        Map<String, String> env = new HashMap<>(TestS3.serverEnv(bucket));
        env.putAll(RunDocumentsTest.LIMITS);
        try (ScriptedModelServer model = RunDocumentsTest.writesLargeOutputs(); TestServer s = TestServer.start(dataDir, env)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "clouded-archiver", null);
            String runId = startRun(s, "clouded-archiver", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());

            var docs = documentsOf(s, runId);
            assertEquals(1, docs.size(), "the 4 MB file over DOCUMENT_MAX_FILE_BYTES was refused: " + docs);
            String id = docs.get(0).get("id").asText();
            String key = "runs/" + runId + "/documents/" + id;
            assertEquals(List.of(key), keys(bucket).stream().filter(k -> k.startsWith("runs/")).toList(), "only big.bin's object");
            try (S3Client c = TestS3.client()) {
                byte[] object = c.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
                assertEquals(2_000_000, object.length, "2 MB streamed although API_BODY_LIMIT_BYTES is 1 MiB");
                assertEquals(docs.get(0).get("sha256").asText(), RunDocumentsTest.sha256(object));
            }
            try (var staged = Files.list(dataDir.resolve("storage/.uploads"))) {
                assertEquals(0, staged.count(), "spooled in the data folder (swept at boot after a crash), nothing left there");
            }

            assertEquals(204, s.delete("/api/documents/" + id).statusCode());
            assertEquals(404, s.get("/api/documents/" + id + "/content").statusCode());
            assertTrue(keys(bucket).stream().noneMatch(k -> k.startsWith("runs/")), "the object deleted: " + keys(bucket));
        }
    }

    private static List<String> keys(String bucket) {
        try (S3Client c = TestS3.client()) {
            return c.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }
}
