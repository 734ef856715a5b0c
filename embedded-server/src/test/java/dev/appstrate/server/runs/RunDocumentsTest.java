package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.documentsOf;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static dev.appstrate.server.testing.RunFixtures.writesOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.runs.adapter.RunnerClasspath;
import dev.appstrate.server.testing.TestServer;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file the agent leaves in {@code outputs/} becomes the run's document: stored in the data folder, downloadable, deleted with its run. */
public class RunDocumentsTest {
    static final String REPORT = "# Report\nAll good: 7 items.\n";

    @TempDir
    Path dataDir;

    @Test
    void aFileLeftInOutputsIsPublishedDownloadableAndDeletedWithItsRun() throws Exception {
        try (ScriptedModelServer model = writesOutput("report.md", REPORT); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "reporter", null);
            String runId = startRun(s, "reporter", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());

            JsonNode docs = documentsOf(s, runId);
            assertEquals(1, docs.size(), docs.toString());
            JsonNode doc = docs.get(0);
            assertEquals("report.md", doc.get("name").asText());
            assertEquals("text/markdown", doc.get("mime").asText());
            assertEquals(REPORT.length(), doc.get("size").asInt());
            assertEquals(sha256(REPORT.getBytes(StandardCharsets.UTF_8)), doc.get("sha256").asText());
            assertEquals("agent_output", doc.get("purpose").asText());
            assertEquals("@local/reporter", doc.get("packageId").asText());
            String id = doc.get("id").asText();
            assertEquals("document://" + id, doc.get("uri").asText());

            HttpResponse<String> content = s.get("/api/documents/" + id + "/content");
            assertEquals(200, content.statusCode(), content.body());
            assertEquals(REPORT, content.body());
            assertTrue(content.headers().firstValue("Content-Disposition").orElse("").startsWith("attachment; filename=\"report.md\""));
            assertEquals("nosniff", content.headers().firstValue("X-Content-Type-Options").orElse(null));
            JsonNode logs = TestServer.json(s.get("/api/runs/" + runId + "/logs")).get("data");
            boolean logged = false;
            for (JsonNode l : logs) {
                logged |= l.get("event").asText().equals("document") && l.get("message").asText().equals("report.md");
            }
            assertTrue(logged, "the run's log says the document was published: " + logs);

            Path stored = dataDir.resolve("storage/runs/" + runId + "/documents/" + id);
            assertEquals(REPORT, Files.readString(stored), "filesystem mode keeps the bytes in DATA_DIR/storage");

            HttpResponse<String> deleted = s.delete("/api/agents/@local/reporter/runs");
            assertEquals(200, deleted.statusCode(), deleted.body());
            assertEquals(404, s.get("/api/documents/" + id).statusCode());
            assertEquals(404, s.get("/api/documents/" + id + "/content").statusCode());
            assertFalse(Files.exists(dataDir.resolve("storage/runs/" + runId)), "the run's objects went with it");
        }
    }

    /** A runner's outputs: 2 MB (twice API_BODY_LIMIT_BYTES) and 4 MB (over DOCUMENT_MAX_FILE_BYTES). */
    public static ScriptedModelServer writesLargeOutputs() {
        return ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.toolCall("bash", Map.of("command", "mkdir -p outputs && head -c 2000000 /dev/urandom"
                        + " > outputs/big.bin && head -c 4000000 /dev/zero > outputs/huge.bin")))
                .turn(new ScriptedModelServer.Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5))
                .start();
    }

    public static final Map<String, String> LIMITS = Map.of("API_BODY_LIMIT_BYTES", "1048576", "DOCUMENT_MAX_FILE_BYTES", "3000000");

    @Test
    void aDocumentOverTheApiBodyLimitStreamsToStorageOneOverItsOwnLimitIsRefusedAndTheRunCountsThem() throws Exception {
        try (ScriptedModelServer model = writesLargeOutputs(); TestServer s = TestServer.start(dataDir, LIMITS)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "archiver", null);
            String input = "{\"input\":{\"a\":\"document://doc_1\",\"b\":[\"document://doc_1\",\"document://doc_2\"]}}";
            String runId = startRun(s, "archiver", input).get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());

            JsonNode docs = documentsOf(s, runId);
            assertEquals(List.of("big.bin"), docs.findValues("name").stream().map(JsonNode::asText).toList(),
                    "the 4 MB file was refused (413), the 2 MB one stored although API_BODY_LIMIT_BYTES is 1 MiB");
            assertEquals(2_000_000, docs.get(0).get("size").asLong());
            assertTrue(logMessages(s, runId).contains(
                            "outputs/huge.bin not published: 4000000 bytes is over the server's limit of 3000000 bytes (DOCUMENT_MAX_FILE_BYTES)"),
                    "the runner, told the limit, skipped the file and said so in the run's log: " + logMessages(s, runId));
            Path stored = dataDir.resolve("storage/runs/" + runId + "/documents/" + docs.get(0).get("id").asText());
            assertEquals(docs.get(0).get("sha256").asText(), sha256(Files.readAllBytes(stored)));
            assertNoStagedUploads();

            JsonNode one = TestServer.json(s.get("/api/runs/" + runId)).get("document_counts");
            assertEquals(1, one.get("output").asInt(), one.toString());
            assertEquals(2, one.get("input").asInt(), "distinct document:// references in the input: " + one);
            JsonNode listed = TestServer.json(s.get("/api/runs")).get("data").get(0);
            assertEquals(runId, listed.get("id").asText());
            assertEquals(1, listed.get("document_counts").get("output").asInt(), listed.toString());

            // a body that gives no length is cut off at the limit as it streams: 413, no row, no object, no staged file
            RunRecord run = s.server().components().runRepository().find(runId).orElseThrow();
            RunDocuments documents = s.server().components().runDocuments();
            InputStream endless = new InputStream() {
                @Override
                public int read() {
                    return 'x';
                }
            };
            ApiException tooLarge = assertThrows(ApiException.class,
                    () -> documents.publish(run, "endless.txt", "text/plain", null, endless, 3_000_000));
            assertEquals(413, tooLarge.status());
            assertEquals(1, documentsOf(s, runId).size());
            try (var files = Files.list(dataDir.resolve("storage/runs/" + runId + "/documents"))) {
                assertEquals(1, files.count(), "only big.bin's object");
            }
            assertNoStagedUploads();
        }
    }

    /**
     * A runner that believes the limit is higher (another runtime, an older runner) sends a document the server refuses
     * from its length alone: the refusal is final, so one attempt, the run's log says why, and nothing is stored.
     */
    @Test
    void aDocumentTheServerRefusesBeforeItsBodyIsSentOnce() throws Exception {
        String runner = "env DOCUMENT_MAX_FILE_BYTES=104857600 \"" + RunnerClasspath.javaBinary() + "\" -XX:TieredStopAtLevel=1 -cp \""
                + RunnerClasspath.find() + "\" " + RunnerClasspath.MAIN_CLASS;
        Map<String, String> env = new java.util.HashMap<>(LIMITS);
        env.put("RUNNER_COMMAND", runner);
        try (ScriptedModelServer model = writesLargeOutputs(); TestServer s = TestServer.start(dataDir, env)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "archiver", null);
            String runId = startRun(s, "archiver", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());

            assertEquals(List.of("big.bin"), documentsOf(s, runId).findValues("name").stream().map(JsonNode::asText).toList());
            assertTrue(logMessages(s, runId).contains("outputs/huge.bin not published: the server refused it (413): over its "
                    + "document size limit (DOCUMENT_MAX_FILE_BYTES)"), "the run's log says why: " + logMessages(s, runId));
            List<String> uploads = Files.readAllLines(dataDir.resolve("runs/" + runId + "/runner.log")).stream()
                    .filter(l -> l.contains("/documents")).toList();
            assertEquals(1, uploads.size(), "one attempt, refused, never retried: " + uploads);
            assertTrue(uploads.get(0).contains("status=413"), uploads.get(0));
            try (var files = Files.list(dataDir.resolve("storage/runs/" + runId + "/documents"))) {
                assertEquals(1, files.count(), "only big.bin's object");
            }
            assertNoStagedUploads();
        }
    }

    /**
     * The runner's heap is held to 64 MiB (agent_memory_ceiling_mb) and the agent leaves an 80 MB file: read whole, it
     * could not fit; streamed from disk it arrives complete and byte-identical.
     */
    @Test
    void anOutputFileLargerThanTheRunnersHeapArrivesWhole() throws Exception {
        ScriptedModelServer writesHuge = ScriptedModelServer.builder()
                .turn(ScriptedModelServer.Turn.toolCall("bash", Map.of("command",
                        "mkdir -p outputs && head -c 80000000 /dev/urandom > outputs/dataset.bin")))
                .turn(new ScriptedModelServer.Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5))
                .start();
        try (ScriptedModelServer model = writesHuge;
             TestServer s = TestServer.start(dataDir, Map.of("PLATFORM_RUN_LIMITS", "{\"agent_memory_ceiling_mb\":64}"))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "exporter", null);
            String runId = startRun(s, "exporter", "{}").get("id").asText();
            JsonNode done = awaitTerminal(s, runId);
            assertEquals("success", done.get("status").asText(), done.toString());

            JsonNode docs = documentsOf(s, runId);
            assertEquals(List.of("dataset.bin"), docs.findValues("name").stream().map(JsonNode::asText).toList());
            String written = sha256(dataDir.resolve("runs/" + runId + "/workspace/outputs/dataset.bin"));
            assertEquals(80_000_000, docs.get(0).get("size").asLong(), "the whole file arrived");
            assertEquals(written, docs.get(0).get("sha256").asText(), "byte-identical to what the agent wrote");
            assertEquals(written, sha256(dataDir.resolve("storage/runs/" + runId + "/documents/" + docs.get(0).get("id").asText())));

            // and it downloads whole, streamed from storage with its length up front
            java.net.http.HttpRequest get = java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(s.url() + "/api/documents/" + docs.get(0).get("id").asText() + "/content"))
                    .header("Authorization", "Bearer " + s.ownerToken()).header("X-App-Id", s.defaultAppId()).build();
            HttpResponse<InputStream> download = java.net.http.HttpClient.newHttpClient().send(get, HttpResponse.BodyHandlers.ofInputStream());
            assertEquals(200, download.statusCode());
            assertEquals("80000000", download.headers().firstValue("Content-Length").orElse(null));
            assertEquals(written, sha256(download.body()));
        }
    }

    private static List<String> logMessages(TestServer s, String runId) {
        List<String> messages = new java.util.ArrayList<>();
        TestServer.json(s.get("/api/runs/" + runId + "/logs")).get("data").forEach(l -> messages.add(l.get("message").asText()));
        return messages;
    }

    private static String sha256(Path file) throws Exception {
        return sha256(Files.newInputStream(file));
    }

    private static String sha256(InputStream content) throws Exception {
        java.security.MessageDigest digest = java.security.MessageDigest.getInstance("SHA-256");
        try (InputStream in = content) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) != -1; ) {
                digest.update(buf, 0, n);
            }
        }
        return java.util.HexFormat.of().formatHex(digest.digest());
    }

    private void assertNoStagedUploads() throws Exception {
        Path uploads = dataDir.resolve("storage/.uploads");
        if (Files.isDirectory(uploads)) {
            try (var files = Files.list(uploads)) {
                assertEquals(List.of(), files.toList(), "no staged upload left behind");
            }
        }
    }

    @Test
    void deletingADocumentRemovesItsRowAndBytesOnlyInItsOwnApplication() throws Exception {
        try (ScriptedModelServer model = writesOutput("report.md", REPORT); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "reporter", null);
            String runId = startRun(s, "reporter", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());
            String id = documentsOf(s, runId).get(0).get("id").asText();
            Path stored = dataDir.resolve("storage/runs/" + runId + "/documents/" + id);
            assertTrue(Files.exists(stored));

            String other = TestServer.json(s.post("/api/applications", "{\"name\":\"Other\"}")).get("id").asText();
            HttpResponse<String> foreign = s.send("DELETE", "/api/documents/" + id, null, "X-App-Id", other);
            assertEquals(404, foreign.statusCode(), "another application's document is not found: " + foreign.body());
            assertEquals("application/problem+json", foreign.headers().firstValue("Content-Type").orElse("").split(";")[0]);
            assertTrue(Files.exists(stored), "nothing deleted by the other application");

            HttpResponse<String> bad = s.delete("/api/documents/not%20an%20id");
            assertEquals(400, bad.statusCode(), bad.body());
            assertEquals("application/problem+json", bad.headers().firstValue("Content-Type").orElse("").split(";")[0]);

            HttpResponse<String> deleted = s.delete("/api/documents/" + id);
            assertEquals(204, deleted.statusCode(), deleted.body());
            assertEquals(404, s.get("/api/documents/" + id).statusCode());
            assertFalse(Files.exists(stored), "the bytes are gone with the row");
            assertEquals(0, TestServer.json(s.get("/api/runs/" + runId)).get("document_counts").get("output").asInt());
            assertEquals(404, s.delete("/api/documents/" + id).statusCode(), "a second delete finds nothing");
        }
    }

    @Test
    void anUnknownDocumentIsA404Problem() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            HttpResponse<String> r = s.get("/api/documents/doc_nope/content");
            assertEquals(404, r.statusCode());
            assertEquals("document_not_found", TestServer.json(r).get("code").asText());
            assertEquals(0, TestServer.json(s.get("/api/documents")).get("data").size());
        }
    }

    @Test
    void documentNamesAreDecodedStrictlyAndNeverAPath() {
        assertEquals("résumé final.pdf", RunDocumentRoutes.name("r%C3%A9sum%C3%A9%20final.pdf"));
        assertEquals("a+b.txt", RunDocumentRoutes.name("a+b.txt"));
        String escaped = RunDocumentRoutes.name("..%2F..%2Fetc%2Fpasswd");
        assertFalse(escaped.contains("/") || escaped.contains(".."), escaped);
        assertEquals(255, RunDocumentRoutes.name("x".repeat(300)).length());
        // the 255th character would be the first half of an emoji: the name ends before it (hostile caller, session 10)
        assertEquals("a".repeat(254), RunDocumentRoutes.name("a".repeat(254) + "%F0%9F%98%80x"));
        assertEquals("a".repeat(253) + "\uD83D\uDE00", RunDocumentRoutes.name("a".repeat(253) + "%F0%9F%98%80x"));
        for (String bad : new String[] {null, " ", "%E0%A4%A", "%", "%2E"}) {
            ApiException e = assertThrows(ApiException.class, () -> RunDocumentRoutes.name(bad), String.valueOf(bad));
            assertEquals(400, e.status(), bad);
        }
    }

    /** The hex SHA-256 the documents API reports. */
    public static String sha256(byte[] bytes) throws Exception {
        return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
    }
}
