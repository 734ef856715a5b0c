package dev.appstrate.server.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "An acknowledged event is stored" for a runner's retry: a copy of an event whose first copy is queued but not yet
 * committed is answered with that commit, so a commit that fails fails the retry too (SQLite: a trigger refuses the row).
 */
class ReplayAcknowledgementTest {
    private static final String SINGLE = "application/cloudevents+json";

    @TempDir
    Path dataDir;

    @Test
    void aRetryOfAnEventStillOnItsWayToTheDiskIsNotAcknowledgedBeforeItIsStored() throws Exception {
        try (ScriptedModelServer model = RunEventBatchTest.sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = RunEventBatchTest.quietRun(s, model, "replayed");
            InFlightRuns inFlight = s.server().components().inFlightRuns();
            ActiveRun active = BenchAccess.activeRun(inFlight, run.id());
            int seq = run.start() + 1;
            String body = RunEventBatchTest.event(run.id(), seq, "boom");
            String db = "jdbc:sqlite:" + dataDir.resolve("appstrate.db");
            CompletableFuture<HttpResponse<String>> first;
            CompletableFuture<HttpResponse<String>> retry;
            try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
                st.execute("CREATE TRIGGER refuse_boom BEFORE INSERT ON run_logs WHEN NEW.message = 'boom' "
                        + "BEGIN SELECT RAISE(ABORT, 'refused'); END");
                // the test holds the write lock, so the first copy's commit waits (then fails on the trigger)
                c.setAutoCommit(false);
                st.execute("CREATE TABLE hold_write_lock(x)");
                first = CompletableFuture.supplyAsync(() -> RunEventBatchTest.post(s, run, SINGLE, body));
                Await.until("the first copy is queued", () -> BenchAccess.lastSequence(inFlight, run.id()) >= seq);
                retry = CompletableFuture.supplyAsync(() -> RunEventBatchTest.post(s, run, SINGLE, body));
                // the retry is answered at once, or waits for the first copy's commit beside the first copy's own request
                Await.until("the retry is answered or waits beside the first copy",
                        () -> retry.isDone() || dependents(active) >= 2);
                c.rollback();
            }
            HttpResponse<String> original = first.get(1, TimeUnit.MINUTES);
            HttpResponse<String> retried = retry.get(1, TimeUnit.MINUTES);
            assertTrue(original.statusCode() >= 500, original.body());
            assertEquals(List.of(), RunEventBatchTest.stored(s, run, "boom"));
            assertTrue(retried.statusCode() >= 500, "the retry was acknowledged but its event is not stored: "
                    + retried.statusCode() + " " + retried.body());

            try (Connection c = DriverManager.getConnection(db); Statement st = c.createStatement()) {
                st.execute("DROP TRIGGER refuse_boom");
            }
            // the run's sequence stepped back: the runner's next retry is stored, and a later copy is a replay
            HttpResponse<String> stored = RunEventBatchTest.post(s, run, SINGLE, body);
            assertEquals("persisted", TestServer.json(stored).path("outcome").asText(), stored.body());
            HttpResponse<String> again = RunEventBatchTest.post(s, run, SINGLE, body);
            assertEquals("replay", TestServer.json(again).path("outcome").asText(), again.body());
            assertEquals(List.of("boom"), RunEventBatchTest.stored(s, run, "boom"));
            s.post("/api/runs/" + run.id() + "/cancel", null);
        }
    }

    private static int dependents(ActiveRun run) {
        synchronized (run) {
            return run.lastQueued.getNumberOfDependents();
        }
    }
}
