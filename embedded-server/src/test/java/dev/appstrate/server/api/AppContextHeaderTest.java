package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Application context on app-scoped routes: the owner names the app (either header), an API key is pinned. */
class AppContextHeaderTest {
    @TempDir
    static Path dir;
    static TestServer server;
    static String secondApp;
    static String defaultKey;

    @BeforeAll
    static void start() {
        server = TestServer.start(dir);
        secondApp = TestServer.json(server.post("/api/applications", "{\"name\":\"Second\"}")).get("id").asText();
        defaultKey = TestServer.json(server.post("/api/api-keys", "{\"name\":\"pinned\"}")).get("key").asText();
        String body = "{\"manifest\":{\"name\":\"@local/pinned\",\"type\":\"agent\",\"version\":\"1.0.0\",\"schema_version\":\"0.1\","
                + "\"display_name\":\"Pinned\"},\"content\":\"hi\"}";
        assertEquals(201, server.post("/api/packages/agents", body).statusCode());
    }

    @AfterAll
    static void stop() {
        server.stop();
    }

    static HttpResponse<String> get(String path, String... headers) {
        Map<String, String> h = new HashMap<>();
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return server.raw("GET", path, null, h);
    }

    static void assertProblem(HttpResponse<String> r, int status, String code, String param) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
        JsonNode b = TestServer.json(r);
        assertEquals(code, b.get("code").asText());
        assertEquals(status, b.get("status").asInt());
        if (param != null) {
            assertEquals(param, b.path("param").asText(), r.body());
        }
    }

    @Test
    void ownerWithoutApplicationHeaderGets400() {
        for (String path : new String[]{"/api/agents", "/api/end-users", "/api/api-keys", "/api/packages/agents"}) {
            HttpResponse<String> r = get(path, "Authorization", "Bearer " + server.ownerToken());
            assertProblem(r, 400, "invalid_request", "X-App-Id");
            assertTrue(TestServer.json(r).get("detail").asText().contains("X-Application-Id"));
        }
    }

    @Test
    void ownerMayUseEitherHeaderName() {
        for (String header : new String[]{"X-App-Id", "X-Application-Id"}) {
            HttpResponse<String> r = get("/api/agents", "Authorization", "Bearer " + server.ownerToken(), header, server.defaultAppId());
            assertEquals(200, r.statusCode(), header);
            assertTrue(TestServer.json(r).get("data").findValuesAsText("id").contains("@local/pinned"));
            HttpResponse<String> other = get("/api/agents", "Authorization", "Bearer " + server.ownerToken(), header, secondApp);
            assertEquals(200, other.statusCode());
            assertEquals(0, TestServer.json(other).get("data").size(), "the second application has no agent installed");
        }
    }

    @Test
    void unknownApplicationIs404WithEitherHeader() {
        for (String header : new String[]{"X-App-Id", "X-Application-Id"}) {
            HttpResponse<String> r = get("/api/agents", "Authorization", "Bearer " + server.ownerToken(), header, "app_does-not-exist");
            assertProblem(r, 404, "not_found", header);
        }
    }

    @Test
    void apiKeyIsPinnedToItsApplication() {
        HttpResponse<String> r = get("/api/agents", "Authorization", "Bearer " + defaultKey);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(TestServer.json(r).get("data").findValuesAsText("id").contains("@local/pinned"));
        assertEquals(200, get("/api/agents", "Authorization", "Bearer " + defaultKey, "X-App-Id", server.defaultAppId()).statusCode());
        for (String header : new String[]{"X-App-Id", "X-Application-Id"}) {
            HttpResponse<String> other = get("/api/agents", "Authorization", "Bearer " + defaultKey, header, secondApp);
            assertProblem(other, 403, "forbidden", header);
        }
    }

    @Test
    void applicationRoutesOfAnotherAppAreForbiddenToAKey() {
        assertProblem(get("/api/applications/" + secondApp, "Authorization", "Bearer " + defaultKey), 403, "forbidden", null);
        assertProblem(get("/api/applications/" + secondApp + "/packages", "Authorization", "Bearer " + defaultKey), 403, "forbidden", null);
        assertEquals(200, get("/api/applications/" + server.defaultAppId() + "/packages", "Authorization", "Bearer " + defaultKey).statusCode());
    }
}
