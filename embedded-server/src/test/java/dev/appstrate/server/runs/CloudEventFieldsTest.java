package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static dev.appstrate.server.runs.RunEventBatchTest.event;
import static dev.appstrate.server.runs.RunEventBatchTest.post;
import static dev.appstrate.server.runs.RunEventBatchTest.quietRun;
import static dev.appstrate.server.runs.RunEventBatchTest.sleepingModel;
import static dev.appstrate.server.runs.RunEventBatchTest.stored;
import static dev.appstrate.server.testing.RunFixtures.REAL_MODEL_KEY;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner's CloudEvent is refused, naming the field, unless its type is a non-empty string and its sequence a positive
 * integer: a fraction was truncated onto the sequence below it (so the event below it was later dropped as a replay) and a
 * number or an empty string was stored as the type (hostile caller, session 10). Single events and batches alike; nothing
 * of a refused request is stored and the run's sequence does not move. The final RunResult's typed fields likewise: a
 * string error closed the run as failed with no reason; and its error message is kept as a log message is, 32 KB at most.
 */
class CloudEventFieldsTest {
    private static final String SINGLE = "application/cloudevents+json";

    @TempDir
    Path dataDir;

    @Test
    void aFractionalSequenceOrANonStringTypeIsRefusedAndStoresNothing() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "fields");
            int next = run.start() + 1;
            String good = event(run.id(), next, "fields " + next);
            String fraction = good.replace("\"sequence\":" + next, "\"sequence\":" + next + ".7");
            String numberType = good.replace("\"type\":\"log.written\"", "\"type\":5");
            String emptyType = good.replace("\"type\":\"log.written\"", "\"type\":\"\"");
            assertTrue(!fraction.equals(good) && !numberType.equals(good) && !emptyType.equals(good), "the variants differ from the good event");

            refused(post(s, run, SINGLE, fraction), "sequence");
            refused(post(s, run, SINGLE, numberType), "type");
            refused(post(s, run, SINGLE, emptyType), "type");
            refused(post(s, run, BATCH, "[" + fraction + "]"), "[0].sequence");
            refused(post(s, run, BATCH, "[" + good + "," + numberType.replace("\"sequence\":" + next, "\"sequence\":" + (next + 1)) + "]"),
                    "[1].type");
            refused(post(s, run, BATCH, "[" + emptyType + "]"), "[0].type");

            assertEquals(List.of(), stored(s, run, "fields "), "nothing of a refused request is stored");
            assertEquals(run.start(), BenchAccess.lastSequence(s.server().components().inFlightRuns(), run.id()), "the run's sequence did not move");
            HttpResponse<String> ok = post(s, run, SINGLE, good);
            assertEquals(200, ok.statusCode(), ok.body());
            assertEquals("persisted", TestServer.json(ok).path("outcome").asText(), ok.body());
            assertEquals(List.of("fields " + next), stored(s, run, "fields "));
            s.post("/api/runs/" + run.id() + "/cancel", null);
        }
    }

    private static void refused(HttpResponse<String> r, String field) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(field, TestServer.json(r).path("errors").get(0).path("field").asText(), r.body());
    }

    @Test
    void aRunResultWithWronglyTypedFieldsIsRefusedAndTheRunStaysOpen() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "result");
            refused(finalizeRun(s, run, "{\"status\":\"failed\",\"error\":\"x\"}"), "error");
            refused(finalizeRun(s, run, "{\"status\":\"failed\",\"error\":{\"message\":5}}"), "error");
            refused(finalizeRun(s, run, "{\"status\":\"success\",\"usage\":\"lots\"}"), "usage");
            refused(finalizeRun(s, run, "{\"status\":\"success\",\"cost\":\"abc\"}"), "cost");
            refused(finalizeRun(s, run, "{\"status\":5}"), "status");
            int next = run.start() + 1;
            HttpResponse<String> open = post(s, run, SINGLE, event(run.id(), next, "result " + next));
            assertEquals("persisted", TestServer.json(open).path("outcome").asText(), "the run is still open: " + open.body());

            HttpResponse<String> done = finalizeRun(s, run, "{\"status\":\"failed\",\"error\":{\"message\":\"" + "e".repeat(100_000) + "\"}}");
            assertEquals(200, done.statusCode(), done.body());
            JsonNode after = TestServer.json(s.get("/api/runs/" + run.id()));
            assertEquals("failed", after.path("status").asText());
            String error = after.path("error").asText();
            assertTrue(error.length() < 33_000 && error.startsWith("eee") && error.contains("[truncated"), error.length() + " characters");
        }
    }

    /**
     * The run's closing log row ("Run failed: …") and its row kept a stored secret the runner's error quoted, while every
     * other log row had it masked (hostile caller, session 11: a model provider's 401 body quoting the key, JSON-escaped).
     */
    @Test
    void aRunResultQuotingAStoredSecretIsMaskedInTheRunAndItsClosingLogRow() throws Exception {
        try (ScriptedModelServer model = sleepingModel(); TestServer s = TestServer.start(dataDir)) {
            RunEventBatchTest.QuietRun run = quietRun(s, model, "quoted");
            String quoted = "Model request failed: HTTP 401: Incorrect API key provided: " + REAL_MODEL_KEY;
            HttpResponse<String> done = finalizeRun(s, run, "{\"status\":\"failed\",\"error\":{\"message\":\"" + quoted
                    + "\"},\"output\":{\"echo\":\"" + REAL_MODEL_KEY + "\"}}");
            assertEquals(200, done.statusCode(), done.body());
            String logs = s.get("/api/runs/" + run.id() + "/logs?limit=500").body();
            assertTrue(logs.contains("Run failed: Model request failed: HTTP 401: Incorrect API key provided: " + Redactor.MASK), logs);
            assertFalse(logs.contains(REAL_MODEL_KEY), logs);
            List<String> stored = s.server().database().read(c -> Rows.list(c,
                    "SELECT COALESCE(error, '') || COALESCE(output, '') FROM runs WHERE id=?", rs -> rs.getString(1), run.id()));
            assertFalse(stored.get(0).contains(REAL_MODEL_KEY), stored.get(0));
        }
    }

    private static HttpResponse<String> finalizeRun(TestServer s, RunEventBatchTest.QuietRun run, String body) {
        Map<String, String> h = new HashMap<>(new StandardWebhookSignature(run.secret()).headers(UUID.randomUUID().toString(),
                System.currentTimeMillis() / 1000, body));
        h.put("Content-Type", "application/json");
        return s.raw("POST", "/api/runs/" + run.id() + "/events/finalize", body.getBytes(StandardCharsets.UTF_8), h);
    }
}
