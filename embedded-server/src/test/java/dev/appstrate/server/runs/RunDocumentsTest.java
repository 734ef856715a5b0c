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
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A file the agent leaves in {@code outputs/} becomes the run's document: stored in the data folder, downloadable, deleted with its run. */
class RunDocumentsTest {
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
            assertEquals(RunDocuments.sha256(REPORT.getBytes(StandardCharsets.UTF_8)), doc.get("sha256").asText());
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
        for (String bad : new String[] {null, " ", "%E0%A4%A", "%", "%2E"}) {
            ApiException e = assertThrows(ApiException.class, () -> RunDocumentRoutes.name(bad), String.valueOf(bad));
            assertEquals(400, e.status(), bad);
        }
    }
}
