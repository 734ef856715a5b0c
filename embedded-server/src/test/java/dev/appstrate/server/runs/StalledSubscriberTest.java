package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer that stops reading its live log stream holds up neither the runner's events (each answered once stored) nor
 * another viewer (who sees every log in order meanwhile); when it reads again, its stream is still complete and in order.
 */
class StalledSubscriberTest {
    /** Within a stream's byte bound (SseStreams.QUEUE_BYTES): a live viewer further behind is cut and resumes with Last-Event-ID. */
    private static final int EVENTS = 100;
    /** Large lines fill the stalled client's socket buffers, so the server's writes to it stay pending. */
    private static final String PADDING = "x".repeat(32 * 1024);

    @TempDir
    Path dataDir;

    @Test
    void aStalledSubscriberDelaysNeitherTheIngestNorAnotherSubscriber() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "stalled", null);
            String runId = startRun(s, "stalled", "{}").get("id").asText();
            RunLifecycleTest.awaitStatus(s, runId, "running");
            long runner = RunLifecycleTest.awaitRunnerPid(runId);
            GroupCommitIngestTest.signal("STOP", runner); // the test plays the runner from here on
            ActiveRun run = BenchAccess.activeRun(s.server().components().inFlightRuns(), runId);
            int start = GroupCommitIngestTest.quietSequence(run);
            String sse = s.url() + "/api/realtime/runs/" + runId + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log&replay=false";
            // the stalled viewer: connected, then reads nothing until every event was answered
            try (Socket stalled = SseClient.stalledViewer(sse)) {
                GroupCommitIngestTest.awaitSubscribers(s, 1);
                CompletableFuture<List<SseClient.Frame>> live = CompletableFuture.supplyAsync(() -> {
                    try {
                        return SseClient.read(sse, null, f -> f.data().contains("\"stalled " + (EVENTS - 1) + " "), EVENTS + 100, null);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                GroupCommitIngestTest.awaitSubscribers(s, 2);

                for (int i = 0; i < EVENTS; i++) {
                    HttpResponse<String> r = GroupCommitIngestTest.post(s.url(), runId, run.sinkSecret, start + 1 + i, "stalled " + i + " " + PADDING);
                    assertEquals(200, r.statusCode(), r.body());
                    assertEquals("persisted", TestServer.json(r).get("outcome").asText(), "answered once stored");
                }
                List<String> expected = new ArrayList<>();
                for (int i = 0; i < EVENTS; i++) {
                    expected.add("stalled " + i);
                }
                List<String> seen = new ArrayList<>();
                for (SseClient.Frame f : live.get(2, TimeUnit.MINUTES)) {
                    String message = f.event().equals("run_log") ? f.json().path("message").asText() : "";
                    if (message.startsWith("stalled ")) {
                        seen.add(message.substring(0, message.indexOf(' ', 8)));
                    }
                }
                assertEquals(expected, seen, "the reading subscriber saw every log once, in order, while the other stalled");

                List<Long> stored = s.server().database().read(c -> Rows.list(c, "SELECT id FROM run_logs WHERE run_id=? "
                        + "AND message LIKE 'stalled %' ORDER BY id", rs -> rs.getLong(1), runId));
                assertEquals(EVENTS, stored.size());
                stalled.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                List<Long> ids = new ArrayList<>();
                for (String line = in.readLine(); line != null && ids.size() < EVENTS; line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                        ids.add(Long.parseLong(line.substring(4)));
                    }
                }
                assertEquals(stored, ids, "the stalled subscriber's stream, read at last, is complete and in order");
            } finally {
                GroupCommitIngestTest.signal("CONT", runner);
                s.post("/api/runs/" + runId + "/cancel", null);
            }
        }
    }
}
