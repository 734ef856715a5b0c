package dev.appstrate.server.runs;

import static dev.appstrate.server.runs.RunEventBatchTest.BATCH;
import static dev.appstrate.server.runs.RunEventBatchTest.event;
import static dev.appstrate.server.runs.RunEventBatchTest.post;
import static dev.appstrate.server.runs.RunEventBatchTest.quietRun;
import static dev.appstrate.server.runs.RunEventBatchTest.sleepingModel;
import static dev.appstrate.server.runs.RunEventBatchTest.stored;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A runner's CloudEvent is refused, naming the field, unless its type is a non-empty string and its sequence a positive
 * integer: a fraction was truncated onto the sequence below it (so the event below it was later dropped as a replay) and a
 * number or an empty string was stored as the type (hostile caller, session 10). Single events and batches alike; nothing
 * of a refused request is stored and the run's sequence does not move.
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
}
