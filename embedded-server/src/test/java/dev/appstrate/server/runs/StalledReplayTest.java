package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.http.SseStreams;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.Await;
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
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A viewer that opens an 18 MB log's stream and reads nothing holds at most its stream's byte bound on the server: the
 * replay reads the next page only when the viewer has read enough. Another viewer of the same log meanwhile gets it all,
 * and the stalled one, reading at last, gets the whole log once, in order.
 */
class StalledReplayTest {
    private static final int LINES = 600;
    private static final String LINE = "y".repeat(30_000);

    @TempDir
    Path dataDir;

    @Test
    void aStalledReplayHoldsAtMostTheStreamsBoundAndStillGetsTheWholeLogInOrder() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "long-history");
            int seq = run.start();
            for (int batch = 0; batch < LINES / 100; batch++) {
                StringBuilder body = new StringBuilder("[");
                for (int i = 0; i < 100; i++) {
                    body.append(i > 0 ? "," : "").append(RunEventBatchTest.event(run.id(), ++seq, "h " + seq + " " + LINE));
                }
                HttpResponse<String> posted = RunEventBatchTest.post(s, run, BATCH, body.append(']').toString());
                assertEquals(200, posted.statusCode(), posted.body());
            }
            List<Long> stored = s.server().database().read(c -> Rows.list(c, "SELECT id FROM run_logs WHERE run_id=? ORDER BY id",
                    rs -> rs.getLong(1), run.id()));
            String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log";
            try (Socket stalled = SseClient.stalledViewer(sse)) {
                Await.until("the stalled viewer's queue fills", () -> s.server().eventStreamLargestQueuedBytes() > SseStreams.PACED_BYTES / 2);

                // while another viewer replays the same log, the stalled one's queue stays within the bound
                AtomicLong most = new AtomicLong();
                AtomicBoolean reading = new AtomicBoolean(true);
                Thread gauge = new Thread(() -> {
                    while (reading.get()) {
                        most.accumulateAndGet(s.server().eventStreamLargestQueuedBytes(), Math::max);
                        LockSupport.parkNanos(1_000_000); // a sample per millisecond, not a wait for a condition
                    }
                });
                gauge.start();
                List<Long> other = new ArrayList<>();
                String last = "\"h " + seq + " ";
                for (SseClient.Frame f : SseClient.read(sse, null, f -> f.data().contains(last), LINES + 10, new ArrayList<>())) {
                    if ("run_log".equals(f.event())) {
                        other.add(Long.parseLong(f.id()));
                    }
                }
                reading.set(false);
                gauge.join();
                assertEquals(stored, other, "the other viewer got the whole log, in order, meanwhile");
                assertTrue(most.get() <= SseStreams.PACED_BYTES, "one stalled viewer held " + most.get() + " bytes queued, over the bound "
                        + SseStreams.PACED_BYTES + " (the log is " + (long) LINES * LINE.length() + " bytes)");

                stalled.setSoTimeout(60_000);
                BufferedReader in = new BufferedReader(new InputStreamReader(stalled.getInputStream(), StandardCharsets.UTF_8));
                List<Long> ids = new ArrayList<>();
                for (String line = in.readLine(); line != null && ids.size() < stored.size(); line = in.readLine()) {
                    if (line.startsWith("id: ")) {
                        ids.add(Long.parseLong(line.substring(4)));
                    }
                }
                assertEquals(stored, ids, "the stalled viewer, reading at last, gets the whole log once, in order");
            } finally {
                s.post("/api/runs/" + run.id() + "/cancel", null);
            }
        }
    }
}
