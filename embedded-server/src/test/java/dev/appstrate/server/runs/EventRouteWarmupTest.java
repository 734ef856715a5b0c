package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.event;
import static dev.appstrate.server.runs.RunEventBatchTest.post;
import static dev.appstrate.server.runs.RunEventBatchTest.quietRun;
import static dev.appstrate.server.runs.RunEventBatchTest.sleepingModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.Await;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's warm-up of the runner-event route ({@link EventRouteWarmup}): its events go through the whole route (each
 * answered 410 by the log writer, which finds no such run in the store) and nothing of them reaches a run, a log, a
 * list or a stream; the server answers meanwhile, and its stop ends the warm-up.
 */
class EventRouteWarmupTest {
    @TempDir
    Path dataDir;

    @Test
    void itsEventsGoThroughTheRouteAndNothingOfThemIsStoredListedOrStreamed() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "warmed");
            InFlightRuns inFlight = s.server().components().inFlightRuns();
            String sse = s.url() + "/api/realtime/runs/" + run.id() + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                    + s.defaultAppId() + "&channels=run_log&replay=false";
            List<SseClient.Frame> seen = new ArrayList<>();
            CompletableFuture<List<SseClient.Frame>> viewer = CompletableFuture.supplyAsync(() -> {
                try {
                    return SseClient.read(sse, null, f -> f.data().contains("\"after the warm-up\""), 100, seen);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            Await.until("the viewer is connected", () -> s.server().components().runEvents().subscriberCount() > 0);
            long runs = count(s, "SELECT COUNT(*) FROM runs");
            long logs = count(s, "SELECT COUNT(*) FROM run_logs");
            JsonNode listed = TestServer.json(s.send("GET", "/api/runs", null)).path("data");

            EventRouteWarmup warmup = EventRouteWarmup.start(s.url(), inFlight, 300);
            EventRouteWarmup.Result r = warmup.done().get(2, TimeUnit.MINUTES);

            assertEquals(300, r.requests());
            assertEquals(300, r.answeredGone(), "every request verified, sequenced and refused by the writer: none stopped short");
            assertEquals(runs, count(s, "SELECT COUNT(*) FROM runs"));
            assertEquals(logs, count(s, "SELECT COUNT(*) FROM run_logs"), "no log row");
            assertEquals(0, count(s, "SELECT COUNT(*) FROM run_logs WHERE message LIKE 'warm-up %'"));
            assertEquals(listed, TestServer.json(s.send("GET", "/api/runs", null)).path("data"), "the runs list is unchanged");
            assertEquals(List.of(run.id()), List.copyOf(inFlight.ids()), "never among the runs in flight");
            assertNull(inFlight.get(warmup.runId()), "forgotten once done");

            // the viewer's next frame is the run's own next event: nothing of the warm-up came before it
            HttpResponse<String> after = post(s, run, "application/cloudevents+json", event(run.id(), run.start() + 1, "after the warm-up"));
            assertEquals(200, after.statusCode(), after.body());
            List<SseClient.Frame> streamed = viewer.get(1, TimeUnit.MINUTES).stream().filter(f -> "run_log".equals(f.event())).toList();
            assertEquals(1, streamed.size(), "only the run's own event: " + streamed);
        }
    }

    @Test
    void theServerAnswersWhileItRunsAndItsStopEndsIt() throws Exception {
        TestServer s = TestServer.start(dataDir, Map.of("EVENT_ROUTE_WARMUP_REQUESTS", "100000"));
        EventRouteWarmup warmup = s.server().components().eventRouteWarmup();
        try {
            Await.until("the warm-up is sending", () -> warmup.sent() >= 50);
            assertEquals(200, s.send("GET", "/health", null).statusCode());
            assertEquals(200, s.send("GET", "/api/runs", null).statusCode());
            assertFalse(warmup.done().isDone(), "still warming after the answers");
        } finally {
            s.close();
        }
        EventRouteWarmup.Result r = warmup.done().get(1, TimeUnit.MINUTES);
        assertTrue(r.requests() < 100_000, "ended by the stop: " + r);
    }

    private static long count(TestServer s, String sql) {
        return s.server().database().read(c -> Rows.count(c, sql));
    }
}
