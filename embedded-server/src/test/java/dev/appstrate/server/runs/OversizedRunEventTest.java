package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.post;
import static dev.appstrate.server.runs.RunEventBatchTest.quietRun;
import static dev.appstrate.server.runs.RunEventBatchTest.sleepingModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.EventSink;
import dev.appstrate.runner.LogLimits;
import dev.appstrate.runner.SinkTarget;
import dev.appstrate.runner.http.HttpTransport;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Oversized run events, sent by our runner's real {@link EventSink} and by a foreign runner: a log message or data over
 * 32 KB is stored cut, with a visible marker, and the event keeps its place; an event over the server's body limit is
 * replaced at its sequence by a warning, so the events after it are stored at once and in order, not held behind a gap.
 */
class OversizedRunEventTest {
    private static final int BODY_LIMIT = 64 * 1024;

    @TempDir
    Path dataDir;

    private record Row(String message, String json) {
        JsonNode data() {
            try {
                return Json.MAPPER.readTree(json);
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    private static List<Row> rowsAfter(TestServer s, String runId, String marker) {
        List<Row> all = s.server().database().read(c -> Rows.list(c, "SELECT message, data FROM run_logs WHERE run_id=? ORDER BY id",
                rs -> new Row(rs.getString(1), rs.getString(2)), runId));
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).message().equals(marker)) {
                return all.subList(i + 1, all.size());
            }
        }
        throw new AssertionError("no row " + marker + " in " + all.size() + " rows");
    }

    /** A real sink whose sequence has caught up with what the run's runner already sent (those come again as replays). */
    private static EventSink caughtUpSink(TestServer s, RunEventBatchTest.QuietRun run) throws InterruptedException {
        URI events = URI.create(s.url() + "/api/runs/" + run.id() + "/events");
        EventSink sink = new EventSink(new SinkTarget(run.id(), events, URI.create(events + "/finalize"), URI.create(events + "/heartbeat"),
                run.secret()), HttpTransport.create(Duration.ofSeconds(30)), Clock.systemUTC());
        for (int i = 1; i <= run.start(); i++) {
            sink.emit("log.written", Json.object().put("level", "info").put("message", "replayed " + i));
        }
        assertTrue(sink.drain(Duration.ofMinutes(1)));
        return sink;
    }

    @Test
    void anEventOverTheBodyLimitLeavesAWarningAtItsSequenceAndTheNextEventsAreStoredAtOnceInOrder() throws Exception {
        try (ScriptedModelServer model = sleepingModel();
             TestServer s = TestServer.start(dataDir, Map.of("API_BODY_LIMIT_BYTES", String.valueOf(BODY_LIMIT)))) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "oversized");
            try (EventSink sink = caughtUpSink(s, run)) {
                sink.emit("log.written", Json.object().put("level", "info").put("message", "before"));
                // an output is never cut by the runner (it is the run's result): 200 KB is over this server's body limit
                sink.emit("output.emitted", Json.object().set("data", Json.object().put("text", "x".repeat(200_000))));
                for (int i = 1; i <= 3; i++) {
                    sink.emit("log.written", Json.object().put("level", "info").put("message", "after " + i));
                }
                assertTrue(sink.drain(Duration.ofMinutes(1)));
                // had the big event left a gap, the next three would still be held in memory (answered "buffered"), not stored
                List<String> messages = rowsAfter(s, run.id(), "before").stream().map(Row::message).toList();
                assertEquals(4, messages.size(), messages.toString());
                assertTrue(messages.get(0).matches("event dropped: output\\.emitted of \\d+ bytes is over the server's request size limit"),
                        messages.get(0));
                assertEquals(List.of("after 1", "after 2", "after 3"), messages.subList(1, 4), "the next events, in order");
                assertEquals(run.start() + 5L, (long) s.server().database().read(c -> Rows.count(c,
                        "SELECT last_event_sequence FROM runs WHERE id=?", run.id())), "no sequence left open");
            }
            s.post("/api/runs/" + run.id() + "/cancel", null);
        }
    }

    @Test
    void aLogMessageOrDataOver32KbIsStoredCutWithAMarkerFromOurRunnerAndFromAForeignOne() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "long-lines");
            String big = "é".repeat(60_000); // 120,000 bytes of two-byte characters
            try (EventSink sink = caughtUpSink(s, run)) {
                sink.emit("log.written", Json.object().put("level", "info").put("message", "start"));
                sink.emit("log.written", Json.object().put("level", "warn").put("message", big));
                sink.emit("appstrate.progress", Json.object().put("message", "Tool result: bash")
                        .set("data", Json.object().put("result", big)));
                assertTrue(sink.drain(Duration.ofMinutes(1)));
            }
            // a foreign runner (RUNNER_COMMAND) sends the long message whole: the server applies the same rule
            String foreign = "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + run.id() + "\",\"id\":\""
                    + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"data\":{\"level\":\"info\",\"message\":\""
                    + big + "\"},\"sequence\":" + (run.start() + 4) + "}";
            assertEquals(200, post(s, run, "application/cloudevents+json", foreign).statusCode());

            List<Row> rows = rowsAfter(s, run.id(), "start");
            assertEquals(3, rows.size());
            String marker = " … [truncated: 120000 bytes, over the 32768-byte limit]";
            for (Row cut : List.of(rows.get(0), rows.get(2))) {
                assertTrue(cut.message().endsWith(marker), "the cut is visible: " + cut.message().substring(cut.message().length() - 80));
                assertTrue(cut.message().startsWith("éééé"), "the beginning is kept");
                int bytes = cut.message().getBytes(StandardCharsets.UTF_8).length;
                assertTrue(bytes <= LogLimits.MAX_BYTES && bytes > LogLimits.MAX_BYTES - 100, bytes + " bytes");
            }
            assertEquals(rows.get(0).message(), rows.get(2).message(), "runner and server cut the same way");
            JsonNode data = rows.get(1).data();
            assertEquals("Tool result: bash", rows.get(1).message());
            assertTrue(data.path("truncated").asBoolean(), data.toString().substring(0, 100));
            assertEquals(Json.MAPPER.writeValueAsString(Json.object().put("result", big)).getBytes(StandardCharsets.UTF_8).length,
                    data.path("bytes").asInt());
            assertTrue(data.path("preview").asText().startsWith("{\"result\":\"éé"), "its beginning is readable");

            JsonNode logs = TestServer.json(s.get("/api/runs/" + run.id() + "/logs?limit=1000"));
            assertTrue(logs.toString().contains(marker), "the API shows the cut message");
            s.post("/api/runs/" + run.id() + "/cancel", null);
        }
    }

    @Test
    void aSecretOnlyTheServerKnowsIsMaskedEvenWhenTheRunnersCutKeptItsBeginning() throws Exception {
        String secret = "srv-only-" + UUID.randomUUID(); // a connection credential: the runner never had it to mask
        Redactor.global().add(secret);
        int total = 100_000;
        String marker = LogLimits.CUT_MARKER + total + " bytes, over the " + LogLimits.MAX_BYTES + "-byte limit]";
        int kept = LogLimits.MAX_BYTES - marker.getBytes(StandardCharsets.UTF_8).length;
        String head = "a".repeat(kept - 12);
        String message = head + secret + "b".repeat(total - head.length() - secret.length());
        assertTrue(LogLimits.message(message).endsWith(secret.substring(0, 12) + marker), "the runner's cut falls inside the secret");
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "cut-secret");
            try (EventSink sink = caughtUpSink(s, run)) {
                sink.emit("log.written", Json.object().put("level", "info").put("message", "start"));
                sink.emit("log.written", Json.object().put("level", "info").put("message", message));
                sink.emit("appstrate.progress", Json.object().put("message", "Tool result: http")
                        .set("data", Json.object().put("body", "c".repeat(LogLimits.MAX_BYTES) + secret)));
                sink.emit("appstrate.progress", Json.object().put("message", "Tool result: http")
                        .set("data", Json.object().put("body", "c".repeat(8 * 1024 - 22) + secret + "d".repeat(40_000))));
                assertTrue(sink.drain(Duration.ofMinutes(1)));
            }
            List<Row> rows = rowsAfter(s, run.id(), "start");
            assertEquals(3, rows.size());
            String stored = rows.get(0).message();
            assertTrue(stored.equals(head + Redactor.MASK + marker),
                    "the kept beginning of the secret is masked: …" + stored.substring(Math.max(0, stored.length() - 120)));
            for (Row r : rows) {
                String row = r.message() + " " + r.json();
                assertTrue(!row.contains(secret.substring(0, 9)), "no beginning of the secret is stored: " + row.length() + " chars");
            }
            s.post("/api/runs/" + run.id() + "/cancel", null);
        }
    }
}
