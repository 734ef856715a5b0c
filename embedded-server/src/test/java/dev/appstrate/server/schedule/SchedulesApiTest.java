package dev.appstrate.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schedules API over HTTP on a real server. */
class SchedulesApiTest {
    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir, Map.of());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    private static JsonNode created(String body) {
        HttpResponse<String> r = server.post("/api/agents/@acme/digest/schedules", body);
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r);
    }

    @Test
    void createReadPauseResumeAndDeleteASchedule() {
        JsonNode s = created("{\"name\":\"Morning digest\",\"cron_expression\":\"0 9 * * 1-5\","
                + "\"timezone\":\"Europe/Paris\",\"input\":{\"topic\":\"news\"}}");
        String id = s.get("id").asText();
        assertTrue(id.startsWith("sched_"));
        assertEquals("@acme/digest", s.get("packageId").asText());
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
        assertTrue(TestServer.json(server.get("/api/agents/@acme/digest/schedules")).get("data").findValuesAsText("id")
                .contains(id));
        assertFalse(TestServer.json(server.get("/api/agents/@acme/other/schedules")).get("data").findValuesAsText("id")
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
        assertTrue(s.get("last_run_number").isNull());
        server.server().database().write(c -> {
            try (var st = c.createStatement()) {
                for (String[] run : new String[][] {{"run_a", "6", "success"}, {"run_b", "7", "running"}}) {
                    st.execute("INSERT INTO runs (id, org_id, application_id, package_id, run_number, status, schedule_id, "
                            + "timeout_seconds, started_at) VALUES ('" + run[0] + "', 'org', '" + server.defaultAppId()
                            + "', '@acme/digest', " + run[1] + ", '" + run[2] + "', '" + id + "', 300, '2025-06-02T10:00:00.000Z')");
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
    void anInvalidExpressionOrTimezoneIsA400NamingTheFieldAndCreatesNothing() {
        int before = TestServer.json(server.get("/api/schedules")).get("data").size();
        HttpResponse<String> bad = server.post("/api/agents/@acme/digest/schedules", "{\"cron_expression\":\"every day\"}");
        assertEquals(400, bad.statusCode());
        assertEquals("cron_expression", TestServer.json(bad).get("param").asText());
        HttpResponse<String> tz = server.post("/api/agents/@acme/digest/schedules",
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
        assertTrue(fire.get("status").asText().equals("started") || !fire.get("error").asText().isEmpty(),
                "either a run started or the reason it could not is recorded");
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
    void creatingIsLimitedToTenPerMinute(@TempDir Path other) {
        try (TestServer fresh = TestServer.start(other, Map.of())) {
            for (int i = 0; i < 10; i++) {
                assertEquals(400, fresh.post("/api/agents/@acme/digest/schedules", "{\"cron_expression\":\"x\"}").statusCode());
            }
            HttpResponse<String> limited = fresh.post("/api/agents/@acme/digest/schedules", "{\"cron_expression\":\"0 9 * * *\"}");
            assertEquals(429, limited.statusCode());
            assertEquals(0, TestServer.json(fresh.get("/api/schedules")).get("data").size());
        }
    }
}
