package dev.appstrate.server.schedule;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.ShiftedClock;
import dev.appstrate.server.testing.TestServer;
import dev.appstrate.server.webhooks.SignatureCheckingReceiver;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cron fire through the whole server: the scheduler starts the agent's run (real runner subprocess, scripted
 * model), and the run's status changes reach a webhook receiver signed.
 */
class ScheduledRunEndToEndTest {
    @TempDir
    Path dir;

    /** The system clock, moved forward once so a minute boundary is seconds away instead of up to a minute. */
    @Test
    void aCronFireRunsTheAgentAndItsStatusChangesAreDeliveredToWebhooks() throws Exception {
        ShiftedClock clock = new ShiftedClock();
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 7));
             SignatureCheckingReceiver receiver = new SignatureCheckingReceiver(() -> clock);
             TestServer s = TestServer.start(dir, Map.of("EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1"), clock)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "digest", null);
            HttpResponse<String> hook = s.post("/api/webhooks", "{\"url\":\"" + receiver.url()
                    + "\",\"events\":[\"run.started\",\"run.success\",\"run.failed\"],\"packageId\":\"@local/digest\"}");
            assertEquals(201, hook.statusCode(), hook.body());
            receiver.trust(TestServer.json(hook).get("secret").asText());

            clock.shiftSoNextMinuteIsIn(Duration.ofSeconds(2));
            HttpResponse<String> created = s.post("/api/agents/@local/digest/schedules", "{\"cron_expression\":\"* * * * *\"}");
            assertEquals(201, created.statusCode(), created.body());
            String id = TestServer.json(created).get("id").asText();
            Instant due = Instant.parse(TestServer.json(created).get("next_run_at").asText());

            JsonNode fire = null;
            Instant giveUp = clock.instant().plusSeconds(90);
            while (fire == null && clock.instant().isBefore(giveUp)) {
                JsonNode fires = TestServer.json(s.get("/api/schedules/" + id + "/fires")).get("data");
                if (!fires.isEmpty() && !fires.get(fires.size() - 1).get("status").asText().equals("pending")) {
                    fire = fires.get(fires.size() - 1);
                }
                Thread.sleep(50);
            }
            s.send("PUT", "/api/schedules/" + id, "{\"enabled\":false}");
            assertTrue(fire != null, "the schedule fired");
            assertEquals(due, Instant.parse(fire.get("fire_time").asText()));
            assertEquals("started", fire.get("status").asText(), fire.toString());

            JsonNode run = awaitTerminal(s, fire.get("runId").asText());
            assertEquals("success", run.get("status").asText(), run.toString());
            assertEquals(id, run.get("scheduleId").asText());
            assertEquals(7, run.at("/result/output/answer").asInt());

            Instant deliveredBy = Instant.now().plusSeconds(20);
            while (receiver.received.size() < 2 && Instant.now().isBefore(deliveredBy)) {
                Thread.sleep(20);
            }
            List<String> types = receiver.received.stream()
                    .map(r -> r.json().get("type").asText()).toList();
            assertTrue(types.containsAll(List.of("run.started", "run.success")), types.toString());
            assertTrue(receiver.received.stream().allMatch(SignatureCheckingReceiver.Received::verified));
            JsonNode success = receiver.received.stream().map(SignatureCheckingReceiver.Received::json)
                    .filter(b -> b.get("type").asText().equals("run.success")).findFirst().orElseThrow();
            assertEquals(run.get("id").asText(), success.at("/data/object/id").asText());
            assertEquals(7, success.at("/data/object/result/output/answer").asInt());
        }
    }
}
