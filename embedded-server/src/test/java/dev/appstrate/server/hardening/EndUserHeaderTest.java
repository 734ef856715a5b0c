package dev.appstrate.server.hardening;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code Appstrate-User} is checked on every request of an API key, as in the original: a run asked for as another
 * application's end-user (or as no end-user at all) is refused and nothing is started; one asked for as the key's own
 * application's end-user is that end-user's run. Before (hostile caller, session 10) only the connection routes read the
 * header: the run routes ignored it and started the run as the key's creator, 201, whoever was named.
 */
class EndUserHeaderTest {
    @TempDir
    Path dataDir;

    @Test
    void aRunAskedForAsAnEndUserIsThatEndUsersOrRefused() throws Exception {
        try (ScriptedModelServer model = ScriptedModelServer.builder().turn(Turn.toolCall("output", Map.of("data", Map.of("answer", 1))))
                .start(); TestServer s = TestServer.start(dataDir)) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "as-end-user", null);
            String appB = TestServer.json(s.post("/api/applications", "{\"name\":\"B\"}")).get("id").asText();
            String ownEndUser = TestServer.json(s.post("/api/end-users", "{\"name\":\"Ada\"}")).get("id").asText();
            String otherEndUser = TestServer.json(s.send("POST", "/api/end-users", "{\"name\":\"Bob\"}", "X-App-Id", appB)).get("id").asText();
            String key = TestServer.json(s.post("/api/api-keys", "{\"name\":\"a\",\"scopes\":[\"agents:read\",\"agents:run\",\"runs:read\"]}"))
                    .get("key").asText();
            String run = "/api/agents/@local/as-end-user/run";

            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", otherEndUser), 403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", "eu_00000000-0000-4000-8000-000000000000"),
                    403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", "ada"), 400, "invalid_end_user_id");
            refused(s.send("GET", "/api/agents", null, "Authorization", "Bearer " + key, "Appstrate-User", otherEndUser), 403, "invalid_end_user");
            refused(s.send("POST", run, "{}", "Appstrate-User", ownEndUser), 400, "header_not_allowed");
            assertEquals(0L, (long) s.server().database().read(c -> Rows.count(c, "SELECT COUNT(*) FROM runs")), "no refused run was started");

            HttpResponse<String> own = s.send("POST", run, "{}", "Authorization", "Bearer " + key, "Appstrate-User", ownEndUser);
            assertEquals(201, own.statusCode(), own.body());
            JsonNode started = TestServer.json(own);
            assertEquals(ownEndUser, started.path("endUserId").asText(), own.body());
            HttpResponse<String> asKey = s.send("POST", run, "{}", "Authorization", "Bearer " + key);
            assertEquals(201, asKey.statusCode(), asKey.body());
            assertTrue(TestServer.json(asKey).path("endUserId").isNull(), "without the header the key's own run: " + asKey.body());
        }
    }

    private static void refused(HttpResponse<String> r, int status, String code) {
        assertEquals(status, r.statusCode(), r.body());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), r.headers().toString());
        assertEquals(code, TestServer.json(r).path("code").asText(), r.body());
    }
}
