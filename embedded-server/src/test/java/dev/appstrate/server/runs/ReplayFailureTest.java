package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A replay whose read of the log fails (the store unreadable for a moment) ends its stream, so the viewer reconnects with
 * Last-Event-ID, instead of leaving it open and silent: the read runs on the replay pool, where nobody else would notice.
 */
class ReplayFailureTest {
    @TempDir
    Path dataDir;

    @Test
    void aReplayThatCannotReadTheLogEndsItsStream() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "unreadable-history");
            int seq = run.start();
            HttpResponse<String> posted = RunEventBatchTest.post(s, run, BATCH,
                    "[" + RunEventBatchTest.event(run.id(), ++seq, "before the failure") + "]");
            assertEquals(200, posted.statusCode(), posted.body());
            // the log's table out of reach: every read of the history fails, as a store that cannot answer would
            s.server().database().write(c -> Rows.update(c, "ALTER TABLE run_logs RENAME TO run_logs_away"));
            try {
                String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                        + s.defaultAppId() + "&channels=run_log";
                List<SseClient.Frame> frames = new CopyOnWriteArrayList<>();
                CompletableFuture<List<SseClient.Frame>> read = CompletableFuture.supplyAsync(() -> {
                    try {
                        return SseClient.read(sse, null, f -> false, 1000, frames);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                });
                // far longer than the store's failure takes: before, the stream stayed open with keep-alives only
                List<SseClient.Frame> got = read.orTimeout(30, TimeUnit.SECONDS).join();
                assertTrue(got.stream().noneMatch(f -> "run_log".equals(f.event())), got.toString());
            } finally {
                s.server().database().write(c -> Rows.update(c, "ALTER TABLE run_logs_away RENAME TO run_logs"));
                s.post("/api/runs/" + run.id() + "/cancel", null);
            }
        }
    }
}
