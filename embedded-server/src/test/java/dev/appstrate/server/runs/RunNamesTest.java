package dev.appstrate.server.runs;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run names who started it (the original's api_key_name, schedule_name, end_user_name), asked at answer time of the
 * features that own them: tenancy for the key and the end-user, schedules for the schedule.
 */
class RunNamesTest {
    @TempDir
    Path dir;

    @Test
    void aRunNamesItsApiKeyItsScheduleAndTheEndUserItActedFor() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 7));
             TestServer s = TestServer.start(dir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "digest", null);

            String key = TestServer.json(s.post("/api/api-keys", "{\"name\":\"nightly ci\",\"scopes\":[\"agents:run\",\"runs:read\"]}"))
                    .get("key").asText();
            HttpResponse<String> started = s.send("POST", "/api/agents/@local/digest/run", "{}",
                    "Authorization", "Bearer " + key, "X-App-Id", null);
            assertEquals(201, started.statusCode(), started.body());
            JsonNode byKey = awaitTerminal(s, TestServer.json(started).get("id").asText());
            assertEquals("nightly ci", byKey.get("api_key_name").asText(), byKey.toString());
            assertTrue(byKey.get("end_user_name").isNull(), byKey.toString());
            assertTrue(byKey.get("schedule_name").isNull(), byKey.toString());

            String ada = TestServer.json(s.post("/api/end-users", "{\"name\":\"Ada\",\"externalId\":\"ada-1\"}")).get("id").asText();
            HttpResponse<String> schedule = s.post("/api/agents/@local/digest/schedules", "{\"name\":\"morning digest\","
                    + "\"cron_expression\":\"0 7 * * *\",\"actor\":{\"end_user_id\":\"" + ada + "\"}}");
            assertEquals(201, schedule.statusCode(), schedule.body());
            HttpResponse<String> fired = s.post("/api/schedules/" + TestServer.json(schedule).get("id").asText() + "/run", "{}");
            assertEquals(201, fired.statusCode(), fired.body());
            JsonNode forAda = awaitTerminal(s, TestServer.json(fired).get("runId").asText());
            assertEquals("morning digest", forAda.get("schedule_name").asText(), forAda.toString());
            assertEquals("Ada", forAda.get("end_user_name").asText(), forAda.toString());
            assertTrue(forAda.get("api_key_name").isNull(), forAda.toString());
        }
    }
}
