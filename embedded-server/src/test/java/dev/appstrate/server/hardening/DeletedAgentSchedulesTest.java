package dev.appstrate.server.hardening;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Deleting an agent deletes its schedules, as the original's foreign key cascades. Before (hostile caller, session 11) an
 * every-minute schedule outlived its agent, stayed enabled and made a failed run ("Agent '…' not found", no package) and a
 * failed fire every minute, for ever. Another agent's schedule is left alone.
 */
class DeletedAgentSchedulesTest {
    @TempDir
    Path dataDir;

    @Test
    void deletingAnAgentDeletesItsSchedulesAndOnlyThem() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            addAgent(s, "doomed", null);
            addAgent(s, "kept", null);
            String doomed = schedule(s, "doomed");
            String kept = schedule(s, "kept");

            HttpResponse<String> deleted = s.delete("/api/agents/@local/doomed");
            assertEquals(204, deleted.statusCode(), deleted.body());

            assertEquals(404, s.get("/api/schedules/" + doomed).statusCode(), "the deleted agent's schedule is gone");
            assertEquals(200, s.get("/api/schedules/" + kept).statusCode(), "another agent's schedule stays");
            assertEquals(1L, (long) s.server().database().read(c -> Rows.count(c, "SELECT COUNT(*) FROM schedules")));
        }
    }

    /**
     * A schedule whose agent is gone when it fires (uninstalled from its application, or deleted before deleting took
     * schedules with it) makes one failed run that says why, and is turned off, kept as the user made it: before, it
     * made a failed run at every occurrence, for ever.
     */
    @Test
    void aScheduleWhoseAgentIsGoneFailsOnceAndIsTurnedOff() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            addAgent(s, "uninstalled", null);
            String id = schedule(s, "uninstalled");
            HttpResponse<String> gone = s.delete("/api/applications/" + s.defaultAppId() + "/packages/@local/uninstalled");
            assertEquals(204, gone.statusCode(), gone.body());

            HttpResponse<String> fired = s.post("/api/schedules/" + id + "/run", "{}");
            JsonNode fire = TestServer.json(fired);
            assertEquals("failed", fire.path("status").asText(), fired.body());
            assertTrue(fire.path("error").asText().contains("turned off"), fired.body());
            JsonNode after = TestServer.json(s.get("/api/schedules/" + id));
            assertFalse(after.path("enabled").asBoolean(), "turned off: " + after);
            assertTrue(after.path("next_run_at").isNull(), "nothing armed: " + after);
            assertEquals("* * * * *", after.path("cron_expression").asText(), "kept as made: " + after);
        }
    }

    private static String schedule(TestServer s, String agent) {
        HttpResponse<String> r = s.post("/api/agents/@local/" + agent + "/schedules", "{\"cron_expression\":\"* * * * *\"}");
        assertEquals(201, r.statusCode(), r.body());
        return TestServer.json(r).get("id").asText();
    }
}
