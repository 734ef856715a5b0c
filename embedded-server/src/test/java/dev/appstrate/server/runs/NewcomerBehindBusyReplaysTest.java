package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A new viewer of a live run sees its short history and then its live events whatever the other viewers' replays are doing:
 * here the replay pool is kept busy (as 200 stalled viewers of a long log keep it, turn after turn) and a stalled viewer
 * holds a stream open, and the newcomer still gets history and live events, in order, on real sockets.
 */
class NewcomerBehindBusyReplaysTest {
    @TempDir
    Path dataDir;

    @Test
    void aNewViewerOfALiveRunGoesLiveWhileEveryReplayThreadIsBusy() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "newcomer");
            int seq = run.start();
            HttpResponse<String> history = RunEventBatchTest.post(s, run, BATCH, RunEventBatchTest.batch(run, "before ", seq + 1, seq + 2));
            assertEquals(200, history.statusCode(), history.body());
            seq += 2;
            String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log";

            ExecutorService pool = s.server().components().sseReplays();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(2);
            List<Future<?>> occupied = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                occupied.add(pool.submit(() -> {
                    busy.countDown();
                    release.await();
                    return null;
                }));
            }
            ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
            try (Socket stalled = SseClient.stalledViewer(sse)) {
                assertTrue(busy.await(60, TimeUnit.SECONDS), "both replay threads are taken");
                List<SseClient.Frame> seen = new CopyOnWriteArrayList<>();
                Future<?> newcomer = reader.submit(() -> SseClient.read(sse, null, f -> f.data().contains("\"live "), 100, seen));
                Await.until("the newcomer has its history while the replay pool is busy",
                        () -> seen.stream().filter(f -> f.data().contains("\"before ")).count() == 2);
                HttpResponse<String> live = RunEventBatchTest.post(s, run, BATCH, RunEventBatchTest.batch(run, "live ", seq + 1));
                assertEquals(200, live.statusCode(), live.body());
                newcomer.get(60, TimeUnit.SECONDS);
                List<String> logs = seen.stream().filter(f -> "run_log".equals(f.event())).map(f -> f.data().replaceAll(
                        ".*\"message\":\"([^\"]*)\".*", "$1")).filter(m -> m.startsWith("before ") || m.startsWith("live ")).toList();
                assertEquals(List.of("before " + (seq - 1), "before " + seq, "live " + (seq + 1)), logs,
                        "history, then the live event, once each");
            } finally {
                release.countDown();
                reader.shutdownNow();
                s.post("/api/runs/" + run.id() + "/cancel", null);
            }
            for (Future<?> f : occupied) {
                f.get(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void aViewerWithoutHistoryGoesLiveWhileEveryReplayThreadIsBusy() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "no-history");
            int seq = run.start();
            String sse = s.url() + "/api/realtime/runs?token=" + TestServer.OWNER_TOKEN + "&applicationId=" + s.defaultAppId()
                    + "&channels=run_log";
            ExecutorService pool = s.server().components().sseReplays();
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch busy = new CountDownLatch(2);
            for (int i = 0; i < 2; i++) {
                pool.submit(() -> {
                    busy.countDown();
                    release.await();
                    return null;
                });
            }
            ExecutorService reader = java.util.concurrent.Executors.newSingleThreadExecutor();
            try {
                assertTrue(busy.await(60, TimeUnit.SECONDS), "both replay threads are taken");
                List<SseClient.Frame> seen = new CopyOnWriteArrayList<>();
                Future<?> viewer = reader.submit(() -> SseClient.read(sse, null, f -> f.data().contains("\"live "), 100, seen));
                // the stream is open once its first frame (a ping) came; then every live event must reach it
                Await.until("the application's stream is open", () -> !seen.isEmpty());
                HttpResponse<String> live = RunEventBatchTest.post(s, run, BATCH, RunEventBatchTest.batch(run, "live ", seq + 1));
                assertEquals(200, live.statusCode(), live.body());
                viewer.get(60, TimeUnit.SECONDS);
            } finally {
                release.countDown();
                reader.shutdownNow();
                s.post("/api/runs/" + run.id() + "/cancel", null);
            }
        }
    }
}
