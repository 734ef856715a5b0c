package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The original's small behaviours a client notices: error titles, auth headers, limit bounds, org header, health, rate-limit window. */
class OriginalDetailsTest {
    @TempDir
    Path dir;
    TestServer server;

    @BeforeEach
    void start() {
        server = TestServer.start(dir);
    }

    @AfterEach
    void stop() {
        server.stop();
    }

    @Test
    void fieldErrorsCarryATitle() {
        HttpResponse<String> r = server.post("/api/packages/agents",
                "{\"manifest\":{\"name\":\"@t/bad\",\"type\":\"agent\",\"version\":\"1.0.0\",\"schema_version\":\"2.0\"},\"content\":\"x\"}");
        assertEquals(400, r.statusCode());
        for (JsonNode e : TestServer.json(r).get("errors")) {
            assertTrue(e.path("title").asText().matches("[A-Z][a-z]+( [A-Z][a-z]*)*"), e.toString());
        }
    }

    @Test
    void anInvalidTokenIsNamedInWwwAuthenticate() {
        HttpResponse<String> none = server.raw("GET", "/api/agents", null, Map.of());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> bad = server.raw("GET", "/api/agents", null, Map.of("Authorization", "Bearer ask_not_a_real_key_0000"));
        assertEquals(401, bad.statusCode());
        assertEquals("Bearer error=\"invalid_token\"", bad.headers().firstValue("WWW-Authenticate").orElse(""));
    }

    @Test
    void outOfRangeLimitsAreRefusedNamingTheParameter() {
        for (String path : new String[] {"/api/runs?limit=0", "/api/runs?limit=101", "/api/end-users?limit=0", "/api/end-users?limit=101",
                "/api/runs?offset=-1", "/api/runs?limit=ten"}) {
            HttpResponse<String> r = server.get(path);
            assertEquals(400, r.statusCode(), path + " " + r.body());
            String param = path.contains("offset") ? "offset" : "limit";
            assertEquals(param, TestServer.json(r).path("param").asText(), path);
        }
        assertEquals(200, server.get("/api/runs?limit=100").statusCode());
        assertEquals(200, server.get("/api/runs?limit=1").statusCode());
    }

    @Test
    void anotherOrganizationIsForbidden() {
        HttpResponse<String> r = server.send("GET", "/api/agents", null, "X-Org-Id", "00000000-0000-4000-8000-000000000000");
        assertEquals(403, r.statusCode(), r.body());
        assertEquals("forbidden", TestServer.json(r).path("code").asText());
        String key = TestServer.json(server.post("/api/api-keys", "{\"name\":\"k\"}")).get("key").asText();
        // a key pins its organization; the original ignores the header then
        assertEquals(200, server.raw("GET", "/api/agents", null, Map.of("Authorization", "Bearer " + key,
                "X-Org-Id", "00000000-0000-4000-8000-000000000000")).statusCode());
        HttpResponse<String> scope = server.raw("POST", "/api/model-provider-credentials", "{}".getBytes(), Map.of(
                "Authorization", "Bearer " + key, "Content-Type", "application/json"));
        assertEquals(403, scope.statusCode(), scope.body());
        assertTrue(scope.headers().firstValue("Appstrate-Version").isPresent(), "a permission refusal carries the version");
    }

    @Test
    void healthListsTheDatabaseAndAgents() {
        JsonNode checks = TestServer.json(server.raw("GET", "/health", null, Map.of())).get("checks");
        assertEquals("healthy", checks.path("database").path("status").asText());
        assertEquals("healthy", checks.path("agents").path("status").asText());
    }

    @Test
    void theRateLimitWindowOpensWithTheFirstRequest() {
        HttpResponse<String> r = server.get("/api/runs/run_missing/logs");
        assertEquals("limit=120, remaining=119, reset=60", r.headers().firstValue("RateLimit").orElse(""));
    }
}
