package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output that reaches the server out of order, just before the RunResult, is still the run's output. */
class LateEventFinalizeTest {
    @TempDir
    Path dataDir;

    @Test
    void anOutputBufferedBehindAGapIsKeptWhenTheRunFinalizes() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("bash", Map.of("command", "sleep 120")))
                .start();
             TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "late", null);
            String runId = startRun(s, "late", "{}").get("id").asText();
            RunLifecycleTest.awaitStatus(s, runId, "running");
            InFlightRuns inFlight = s.server().components().inFlightRuns();
            String secret = BenchAccess.sinkSecret(inFlight, runId);
            // far past anything the sleeping runner will send: the event waits in the buffer for a gap that never fills
            int late = BenchAccess.lastSequence(inFlight, runId) + 1000;
            String output = "{\"specversion\":\"1.0\",\"type\":\"output.emitted\",\"source\":\"/afps/runs/" + runId + "\",\"id\":\""
                    + UUID.randomUUID() + "\",\"datacontenttype\":\"application/json\",\"data\":{\"data\":{\"answer\":42}},"
                    + "\"sequence\":" + late + "}";
            HttpResponse<String> buffered = RunSinkProtocolTest.signedPost(s, "/api/runs/" + runId + "/events", secret, output);
            assertEquals("buffered", TestServer.json(buffered).path("outcome").asText(), buffered.body());

            HttpResponse<String> fin = RunSinkProtocolTest.signedPost(s, "/api/runs/" + runId + "/events/finalize", secret,
                    "{\"status\":\"success\",\"usage\":{\"input_tokens\":1,\"output_tokens\":1}}");
            assertEquals(200, fin.statusCode(), fin.body());

            JsonNode run = TestServer.json(s.get("/api/runs/" + runId));
            assertEquals("success", run.path("status").asText(), run.toString());
            assertEquals(42, run.path("result").path("output").path("answer").asInt(), "the late event's output is the run's result: " + run);
        }
    }
}
