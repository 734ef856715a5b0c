package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A run that logs 12 MB of long lines (each just under the 32 KB row cap): read whole, page by page, each page held to the route's size bound. */
class RunLogPagesTest {
    @TempDir
    Path dataDir;

    @Test
    void longLinesArePagedBySizeAndReadWholeByFollowingTheLinks() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "loud");
            String mb = "x".repeat(30_000);
            int seq = run.start();
            for (int batch = 0; batch < 4; batch++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 100; i++) {
                    body.append(i > 0 ? "," : "").append(RunEventBatchTest.event(run.id(), ++seq, "big " + seq + " " + mb));
                }
                HttpResponse<String> posted = RunEventBatchTest.post(s, run, BATCH, body.append(']').toString());
                assertEquals(200, posted.statusCode(), posted.body());
            }

            List<String> big = new ArrayList<>();
            String next = "/api/runs/" + run.id() + "/logs?limit=1000";
            int pages = 0;
            while (next != null) {
                HttpResponse<String> page = s.get(next);
                assertEquals(200, page.statusCode());
                assertTrue(page.body().length() < RunRoutes.PAGE_CHARS + 40_000, "one page stays near the bound: " + page.body().length());
                JsonNode json = TestServer.json(page);
                json.get("data").forEach(l -> {
                    if (l.get("message").asText().startsWith("big ")) {
                        big.add(l.get("message").asText());
                    }
                });
                String link = page.headers().firstValue("Link").orElse(null);
                assertEquals(json.get("hasMore").asBoolean(), link != null, "hasMore and Link agree");
                next = link == null ? null : link.substring(link.indexOf("/api/"), link.indexOf('>'));
                pages++;
            }
            assertTrue(pages >= 3, "12 MB of lines took several pages: " + pages);
            assertEquals(400, big.size(), "every line once");
            for (int i = 0; i < big.size(); i++) {
                assertEquals("big " + (run.start() + 1 + i) + " " + mb, big.get(i), "whole and in order");
            }
            // a stream's replay reads the same bounded pages and still gives every line once, in order
            String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log";
            String last = "big " + (run.start() + 400) + " ";
            List<String> replayed = new ArrayList<>();
            for (SseClient.Frame f : SseClient.read(sse, null, f -> f.data().contains("\"" + last), 1000, new ArrayList<>())) {
                String message = f.data().isEmpty() ? "" : Json.MAPPER.readTree(f.data()).path("message").asText();
                if (message.startsWith("big ")) {
                    replayed.add(message);
                }
            }
            assertEquals(big, replayed, "the replay holds every line whole, once, in order");

            HttpResponse<String> small = s.get("/api/runs/" + run.id() + "/logs?limit=2");
            assertEquals(2, TestServer.json(small).get("data").size(), "a small limit is still the limit");
            assertFalse(TestServer.json(small).get("data").get(0).get("message").asText().startsWith("big "));
        }
    }
}
