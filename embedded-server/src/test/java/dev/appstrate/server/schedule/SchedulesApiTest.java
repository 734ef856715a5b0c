package dev.appstrate.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.testing.RunFixtures;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedules API over HTTP on a real server. */
class SchedulesApiTest {
    @TempDir
    Path dir;
    private TestServer server;

    /** A server per test: creating is limited to 10 per minute, as in the original. */
    @BeforeEach
    void start() {
        server = TestServer.start(dir, Map.of());
        RunFixtures.addAgent(server, "digest", null);
    }

    /** An agent whose input requires a string "topic". */
    static void addAgentWithInput(TestServer s, String name) {
        ObjectNode manifest = Json.object().put("name", "@local/" + name).put("version", "1.0.0").put("type", "agent")
                .put("schema_version", "0.1").put("display_name", name).put("author", "tests");
        manifest.set("dependencies", Json.object());
        manifest.set("input", Json.object().set("schema", Json.MAPPER.valueToTree(Map.of("type", "object",
                "properties", Map.of("topic", Map.of("type", "string")), "required", List.of("topic")))));
        ObjectNode body = Json.object();
        body.set("manifest", manifest);
        body.put("content", "Write a briefing about the topic.");
        HttpResponse<String> r = s.post("/api/packages/agents", body.toString());
        assertEquals(201, r.statusCode(), r.body());
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    private JsonNode created(String body) {
        return created("/api/agents/@local/digest/schedules", body);
    }

    private JsonNode created(String path, String body) {
        HttpResponse<String> r = server.post(path, body);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    void createReadPauseResumeAndDeleteASchedule() {
        RunFixtures.addAgent(server, "other", null);
        JsonNode s = created("{\"name\":\"Morning digest\",\"cron_expression\":\"0 9 * * 1-5\","
                + "\"timezone\":\"Europe/Paris\",\"input\":{\"topic\":\"news\"}}");
        String id = s.get("id").asText();
        assertTrue(id.startsWith("sched_"));
        assertEquals("@local/digest", s.get("packageId").asText());
        assertEquals(server.defaultAppId(), s.get("applicationId").asText());
        assertTrue(s.get("enabled").asBoolean());
        assertEquals("news", s.at("/input/topic").asText());
        Instant next = Instant.parse(s.get("next_run_at").asText());
        assertTrue(next.isAfter(Instant.now()));
        assertEquals("at 09:00 every day between Monday and Friday", s.get("cron_description").asText());

        assertEquals(id, TestServer.json(server.get("/api/schedules/" + id)).get("id").asText());
        JsonNode list = TestServer.json(server.get("/api/schedules"));
        assertEquals("list", list.get("object").asText());
        assertTrue(list.get("data").findValuesAsText("id").contains(id));
        assertTrue(TestServer.json(server.get("/api/agents/@local/digest/schedules")).get("data").findValuesAsText("id")
                .contains(id));
        assertFalse(TestServer.json(server.get("/api/agents/@local/other/schedules")).get("data").findValuesAsText("id")
                .contains(id));

        JsonNode paused = TestServer.json(server.send("PUT", "/api/schedules/" + id, "{\"enabled\":false}"));
        assertFalse(paused.get("enabled").asBoolean());
        assertTrue(paused.get("next_run_at").isNull(), "a paused schedule has no next run");
        assertEquals("Morning digest", paused.get("name").asText(), "PUT is partial");
        assertEquals("0 9 * * 1-5", paused.get("cron_expression").asText());

        JsonNode resumed = TestServer.json(server.send("PUT", "/api/schedules/" + id, "{\"enabled\":true}"));
        assertEquals(next, Instant.parse(resumed.get("next_run_at").asText()));

        assertEquals(204, server.delete("/api/schedules/" + id).statusCode());
        HttpResponse<String> gone = server.get("/api/schedules/" + id);
        assertEquals(404, gone.statusCode());
        assertEquals("application/problem+json", gone.headers().firstValue("content-type").orElse(""));
    }

    @Test
    void aScheduleShowsItsRunningRunsAndLatestRunNumber() {
        JsonNode s = created("{\"cron_expression\":\"0 9 * * *\"}");
        String id = s.get("id").asText();
        assertEquals(0, s.get("running_runs").asInt());
        assertEquals(0, s.get("last_run_number").asInt(), "0 until the first fire, as the original");
        server.server().database().write(c -> {
            try (var st = c.createStatement()) {
                for (String[] run : new String[][] {{"run_a", "6", "success"}, {"run_b", "7", "running"}}) {
                    st.execute("INSERT INTO runs (id, org_id, application_id, package_id, run_number, status, schedule_id, "
                            + "timeout_seconds, started_at) VALUES ('" + run[0] + "', 'org', '" + server.defaultAppId()
                            + "', '@local/digest', " + run[1] + ", '" + run[2] + "', '" + id + "', 300, '2025-06-02T10:00:00.000Z')");
                }
            }
            return null;
        });
        JsonNode after = TestServer.json(server.get("/api/schedules/" + id));
        assertEquals(1, after.get("running_runs").asInt());
        assertEquals(7, after.get("last_run_number").asInt());
        JsonNode inList = TestServer.json(server.get("/api/schedules")).get("data");
        for (JsonNode n : inList) {
            if (n.get("id").asText().equals(id)) {
                assertEquals(1, n.get("running_runs").asInt());
            }
        }
        server.delete("/api/schedules/" + id);
    }

    @Test
    void anUnknownAgentIs404AndAnInputTheAgentRejectsIs400() {
        addAgentWithInput(server, "briefing");
        HttpResponse<String> missing = server.post("/api/agents/@local/nobody/schedules", "{\"cron_expression\":\"0 9 * * *\"}");
        assertEquals(404, missing.statusCode());
        assertEquals("agent_not_found", TestServer.json(missing).get("code").asText());
        assertEquals(404, server.get("/api/agents/@local/nobody/schedules").statusCode());

        HttpResponse<String> noTopic = server.post("/api/agents/@local/briefing/schedules",
                "{\"cron_expression\":\"0 9 * * *\",\"input\":{}}");
        assertEquals(400, noTopic.statusCode());
        JsonNode problem = TestServer.json(noTopic);
        assertEquals("validation_failed", problem.get("code").asText());
        assertTrue(problem.get("errors").get(0).get("field").asText().startsWith("input"), problem.toString());

        JsonNode ok = created("/api/agents/@local/briefing/schedules", "{\"cron_expression\":\"0 9 * * *\",\"input\":{\"topic\":\"AI\"}}");
        HttpResponse<String> badEdit = server.send("PUT", "/api/schedules/" + ok.get("id").asText(), "{\"input\":{\"topic\":5}}");
        assertEquals(400, badEdit.statusCode());
        assertEquals("AI", TestServer.json(server.get("/api/schedules/" + ok.get("id").asText())).at("/input/topic").asText());
        server.delete("/api/schedules/" + ok.get("id").asText());
    }

    @Test
    void anInvalidExpressionOrTimezoneIsA400NamingTheFieldAndCreatesNothing() {
        int before = TestServer.json(server.get("/api/schedules")).get("data").size();
        HttpResponse<String> bad = server.post("/api/agents/@local/digest/schedules", "{\"cron_expression\":\"every day\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("cron_expression", TestServer.json(bad).get("param").asText());
        HttpResponse<String> tz = server.post("/api/agents/@local/digest/schedules",
                "{\"cron_expression\":\"0 9 * * *\",\"timezone\":\"Europe/Atlantis\"}");
        assertEquals(400, tz.statusCode());
        assertEquals("timezone", TestServer.json(tz).get("param").asText());
        JsonNode s = created("{\"cron_expression\":\"0 9 * * *\"}");
        HttpResponse<String> badEdit = server.send("PUT", "/api/schedules/" + s.get("id").asText(),
                "{\"cron_expression\":\"0 25 * * *\"}");
        assertEquals(400, badEdit.statusCode());
        assertEquals("cron_expression", TestServer.json(badEdit).get("param").asText());
        assertEquals("0 9 * * *", TestServer.json(server.get("/api/schedules/" + s.get("id").asText()))
                .get("cron_expression").asText(), "the bad edit changed nothing");
        assertEquals(before + 1, TestServer.json(server.get("/api/schedules")).get("data").size());
        server.delete("/api/schedules/" + s.get("id").asText());
    }

    @Test
    void previewGivesTheNextFireTimesInTheZoneAndADescription() {
        HttpResponse<String> r = server.post("/api/schedules/preview",
                "{\"cron_expression\":\"30 8 * * 1\",\"timezone\":\"America/New_York\",\"count\":3}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode p = TestServer.json(r);
        assertEquals("at 08:30 at Monday day", p.get("description").asText());
        assertEquals(3, p.get("next_runs").size());
        for (JsonNode run : p.get("next_runs")) {
            assertTrue(run.get("local").asText().contains("T08:30:00-0"), run.toString());
            assertTrue(run.get("at").asText().endsWith("Z"));
        }
        HttpResponse<String> invalid = server.post("/api/schedules/preview", "{\"cron_expression\":\"* * *\"}");
        assertEquals(400, invalid.statusCode());
        assertEquals("cron_expression", TestServer.json(invalid).get("param").asText());
    }

    @Test
    void runNowRecordsAManualFire() {
        JsonNode s = created("{\"cron_expression\":\"0 0 1 1 *\",\"enabled\":false}");
        String id = s.get("id").asText();
        HttpResponse<String> r = server.post("/api/schedules/" + id + "/run", "{}");
        assertEquals(201, r.statusCode(), r.body());
        JsonNode fire = TestServer.json(r);
        assertEquals("manual", fire.get("trigger").asText());
        assertEquals("failed", fire.get("status").asText(), "no model is configured on this server");
        String runId = fire.get("runId").asText();
        JsonNode run = TestServer.json(server.get("/api/runs/" + runId));
        assertEquals("failed", run.get("status").asText(), "a failed run records why the fire could not start");
        assertEquals(id, run.get("scheduleId").asText());
        assertEquals(fire.get("error").asText(), run.get("error").asText());
        JsonNode fires = TestServer.json(server.get("/api/schedules/" + id + "/fires"));
        assertEquals(1, fires.get("data").size());
        assertFalse(TestServer.json(server.get("/api/schedules/" + id)).get("last_run_at").isNull());
        server.delete("/api/schedules/" + id);
    }

    @Test
    void schedulesAreScopedToTheApplication() {
        JsonNode s = created("{\"cron_expression\":\"0 9 * * *\"}");
        HttpResponse<String> otherApp = server.send("GET", "/api/schedules/" + s.get("id").asText(), null,
                "X-App-Id", "app_00000000-0000-0000-0000-000000000000");
        assertTrue(otherApp.statusCode() == 404 || otherApp.statusCode() == 403, otherApp.body());
        HttpResponse<String> noAuth = server.send("GET", "/api/schedules", null, "Authorization", null);
        assertEquals(401, noAuth.statusCode());
        server.delete("/api/schedules/" + s.get("id").asText());
    }

    @Test
    void creatingIsLimitedToTenPerMinute() {
        TestServer fresh = server;
        {
            for (int i = 0; i < 10; i++) {
                assertEquals(400, fresh.post("/api/agents/@local/digest/schedules", "{\"cron_expression\":\"x\"}").statusCode());
            }
            HttpResponse<String> limited = fresh.post("/api/agents/@local/digest/schedules", "{\"cron_expression\":\"0 9 * * *\"}");
            assertEquals(429, limited.statusCode());
            assertEquals(0, TestServer.json(fresh.get("/api/schedules")).get("data").size());
        }
    }
}
