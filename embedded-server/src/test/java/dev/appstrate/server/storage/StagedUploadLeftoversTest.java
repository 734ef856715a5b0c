package dev.appstrate.server.storage;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.documentsOf;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static dev.appstrate.server.testing.RunFixtures.writesOutput;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.runs.RunDocuments;
import dev.appstrate.server.runs.RunDocumentsTest;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A server killed mid-upload leaves a staged file in {@code storage/.uploads}; the next server on the folder deletes it, and only it. */
class StagedUploadLeftoversTest {
    static final String REPORT = "# Report\nKept across the restart.\n";

    @TempDir
    Path dataDir;

    @Test
    void theNextBootDeletesWhatAKilledServerLeftStagedAndNothingElse() throws Exception {
        String runId;
        String documentId;
        try (ScriptedModelServer model = writesOutput("report.md", REPORT); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "reporter", null);
            runId = startRun(s, "reporter", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());
            documentId = documentsOf(s, runId).get(0).get("id").asText();
        }
        Path storage = dataDir.resolve("storage");
        Map<String, String> before = files(storage);
        assertTrue(before.keySet().stream().anyMatch(k -> k.startsWith("packages/")), "the agent's bundle is stored: " + before);
        // what kill -9 mid-upload leaves: a half-written staged document, and a set-aside folder an interrupted sweep left
        Path staged = storage.resolve(".uploads/.staging-123.tmp");
        Files.createDirectories(staged.getParent());
        Files.writeString(staged, "half of a 100 MB document");
        Path setAside = storage.resolve(".uploads-left-earlier/.staging-456.tmp");
        Files.createDirectories(setAside.getParent());
        Files.writeString(setAside, "another half");

        try (TestServer s = TestServer.start(dataDir)) {
            assertEquals(2, s.server().components().uploadLeftovers().get(30, TimeUnit.SECONDS), "both leftovers deleted");
            assertFalse(Files.exists(staged) || Files.exists(setAside.getParent()), "no staged leftover remains");
            try (Stream<Path> top = Files.list(storage)) {
                assertTrue(top.noneMatch(p -> p.getFileName().toString().startsWith(UploadStaging.SET_ASIDE)), "no set-aside folder remains");
            }
            assertEquals(before, files(storage), "every stored object untouched");

            HttpResponse<String> content = s.get("/api/documents/" + documentId + "/content");
            assertEquals(200, content.statusCode(), content.body());
            assertEquals(REPORT, content.body(), "the stored document still downloads whole");

            // uploads after the sweep stage and store as before
            RunRecord run = s.server().components().runRepository().find(runId).orElseThrow();
            RunDocuments documents = s.server().components().runDocuments();
            String id = documents.publish(run, "after.txt", "text/plain", null,
                    new ByteArrayInputStream("published after restart".getBytes(StandardCharsets.UTF_8)), 1024).document().id();
            assertEquals("published after restart", s.get("/api/documents/" + id + "/content").body());
            try (Stream<Path> left = Files.list(storage.resolve(".uploads"))) {
                assertEquals(0, left.count(), "nothing staged is left by a finished upload");
            }
        }
    }

    /** Every regular file under the folder, by relative path, with its content (the planted leftovers excluded). */
    private static Map<String, String> files(Path root) throws Exception {
        Map<String, String> all = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path f : (Iterable<Path>) walk.filter(Files::isRegularFile)::iterator) {
                String key = root.relativize(f).toString().replace('\\', '/');
                if (!key.startsWith(".uploads")) {
                    all.put(key, RunDocumentsTest.sha256(Files.readAllBytes(f)));
                }
            }
        }
        return all;
    }
}
