package dev.appstrate.server.cluster;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.testing.LiveServerProcess;
import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestRedis;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kill -9} of instance A (its own process) in the middle of a run: instance B, sharing PostgreSQL, Redis and S3,
 * fails that run once with the restart message when A's heartbeat expires, and leaves its own run alone.
 */
class InstanceDeathTest {
    private static final String RESTARTED = "Server restarted while run was in progress. Please retry.";

    @TempDir
    Path dirA;
    @TempDir
    Path dirB;

    /** Twenty turns of one log line, 400 ms apart: about eight seconds of running. */
    static ScriptedModelServer slowModel() {
        ScriptedModelServer.Builder m = ScriptedModelServer.builder();
        for (int t = 0; t < 20; t++) {
            m.turn(Turn.toolCall("log", Map.of("level", "info", "message", "step " + t)));
        }
        m.turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 3))), 5, 5));
        return m.delay(Duration.ofMillis(400)).start();
    }

    @Test
    void aSurvivorFailsTheDeadInstancesRunOnceAndKeepsItsOwn() throws Exception {
        // A's data folder never held the agent: it runs it from the bundle B stored in the shared bucket
        Map<String, String> shared = new HashMap<>(TestS3.serverEnv(TestS3.freshBucket()));
        shared.putAll(Map.of("DATABASE_URL", TestDatabases.createDatabase(), "REDIS_URL", TestRedis.freshDatabase(),
                "INSTANCE_TIMEOUT_SECONDS", "4", "RUN_WATCHDOG_INTERVAL_SECONDS", "1"));
        try (ScriptedModelServer model = slowModel();
             TestServer b = TestServer.start(dirB, shared)) {
            addModel(b, "openai-compatible", model.baseUrl());
            addAgent(b, "slow", null);
            Map<String, String> envA = new HashMap<>(TestServer.env(dirA, shared));
            envA.put("LOG_LEVEL", "info");
            String onA;
            String onB;
            try (LiveServerProcess a = LiveServerProcess.start(envA)) {
                HttpResponse<String> started = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                                URI.create(a.url() + "/api/agents/@local/slow/run"))
                        .header("Authorization", "Bearer " + TestServer.OWNER_TOKEN).header("X-App-Id", b.defaultAppId())
                        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(201, started.statusCode(), started.body());
                onA = TestServer.json(started).get("id").asText();
                onB = startRun(b, "slow", "{}").get("id").asText();
                // A's run is visibly running (its runner's first log line reached B's stream) before A dies
                SseClient.read(b.url() + "/api/realtime/runs/" + onA + "?token=" + TestServer.OWNER_TOKEN + "&applicationId="
                        + b.defaultAppId(), null, f -> f.event().equals("run_log") && f.data().contains("step 0"), 10_000,
                        new CopyOnWriteArrayList<>());
                a.kill();
            }
            JsonNode failed = awaitTerminal(b, onA);
            assertEquals("failed", failed.get("status").asText(), failed.toString());
            assertEquals(RESTARTED, failed.get("error").asText());
            List<String> completions = new ArrayList<>();
            for (JsonNode l : TestServer.json(b.get("/api/runs/" + failed.get("id").asText() + "/logs?limit=1000")).get("data")) {
                if ("run_completed".equals(l.path("event").asText())) {
                    completions.add(l.path("message").asText());
                }
            }
            assertEquals(1, completions.size(), "failed once: " + completions);
            JsonNode own = awaitTerminal(b, onB);
            assertEquals("success", own.get("status").asText(), "B's own run is untouched: " + own);
            assertEquals(3, own.at("/result/output/answer").asInt());
        }
    }
}
