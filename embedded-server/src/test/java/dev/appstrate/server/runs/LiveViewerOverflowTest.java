package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.http.SseStreams;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A live viewer that falls further behind than its stream's byte bound (13 MB of logs while it reads nothing) is a slow
 * consumer: its stream ends after what was queued, in order and without a gap, and reconnecting with Last-Event-ID gives
 * it the rest from the store, so it loses nothing; the server never held more than the bound for it.
 */
class LiveViewerOverflowTest {
    private static final int LINES = 400;
    private static final String LINE = "w".repeat(32_000);

    @TempDir
    Path dataDir;

    @Test
    void aLiveViewerPastTheBoundIsEndedAndResumesWithLastEventIdLosingNothing() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "flooded");
            String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log";
            try (Socket stalled = SseClient.stalledViewer(sse + "&replay=false")) {
                GroupCommitIngestTest.awaitSubscribers(s, 1);
                long most = 0;
                int seq = run.start();
                for (int batch = 0; batch < LINES / 50; batch++) {
                    StringBuilder body = new StringBuilder("[");
                    for (int i = 0; i < 50; i++) {
                        body.append(i > 0 ? "," : "").append(RunEventBatchTest.event(run.id(), ++seq, "f " + seq + " " + LINE));
                    }
                    HttpResponse<String> posted = RunEventBatchTest.post(s, run, BATCH, body.append(']').toString());
                    assertEquals(200, posted.statusCode(), posted.body());
                    most = Math.max(most, s.server().eventStreamLargestQueuedBytes());
                }
                assertTrue(most <= SseStreams.QUEUE_BYTES, most + " bytes queued for one viewer");

                List<Long> stored = s.server().database().read(c -> Rows.list(c, "SELECT id FROM run_logs WHERE run_id=? "
                        + "AND message LIKE 'f %' ORDER BY id", rs -> rs.getLong(1), run.id()));
                stalled.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                List<Long> ids = new ArrayList<>();
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                        ids.add(Long.parseLong(line.substring(4)));
                    }
                }
                assertTrue(!ids.isEmpty() && ids.size() < stored.size(), "the stream ended early: " + ids.size() + " of " + stored.size());
                assertEquals(stored.subList(0, ids.size()), ids, "what it got is the log's beginning, in order, without a gap");

                String lastId = String.valueOf(ids.get(ids.size() - 1));
                String last = "\"f " + seq + " ";
                for (SseClient.Frame f : SseClient.read(sse, lastId, f -> f.data().contains(last), LINES + 10, new ArrayList<>())) {
                    if ("run_log".equals(f.event())) {
                        ids.add(Long.parseLong(f.id()));
                    }
                }
                assertEquals(stored, ids, "resumed with Last-Event-ID: the whole log, once, in order");
            } finally {
                s.post("/api/runs/" + run.id() + "/cancel", null);
            }
        }
    }
}
