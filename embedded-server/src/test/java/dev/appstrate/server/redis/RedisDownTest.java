package dev.appstrate.server.redis;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.server.testing.OwnRedis;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Redis stops under a running server: what needs it to proceed safely (a run's ownership claim, an Idempotency-Key claim)
 * answers 503 problem+json with Retry-After and writes nothing; once Redis is back the same requests succeed.
 */
class RedisDownTest {
    @TempDir
    Path dir;

    @Test
    void runStartsAndIdempotentCreatesAnswer503AndWriteNothingUntilRedisIsBack() throws Exception {
        try (OwnRedis redis = OwnRedis.start(dir.resolve("redis"));
             ScriptedModelServer model = ScriptedModelServer.instant(Map.of("answer", 1));
             TestServer s = TestServer.start(dir.resolve("data"), Map.of("REDIS_URL", redis.url()))) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "steady", null);
            redis.stop();

            HttpResponse<String> run = s.post("/api/agents/@local/steady/run", "{}");
            assertRedisUnavailable(run, redis);
            assertEquals(0, TestServer.json(s.get("/api/runs")).get("data").size(), "no run row was written");

            HttpResponse<String> eu = s.send("POST", "/api/end-users", "{\"name\":\"Ada\"}", "Idempotency-Key", "once-1");
            assertRedisUnavailable(eu, redis);
            assertEquals(0, TestServer.json(s.get("/api/end-users")).get("data").size(), "no end-user was written");

            redis.start();
            HttpResponse<String> created = untilNot503(() -> s.send("POST", "/api/end-users", "{\"name\":\"Ada\"}",
                    "Idempotency-Key", "once-1"));
            assertEquals(201, created.statusCode(), created.body());
            HttpResponse<String> replay = s.send("POST", "/api/end-users", "{\"name\":\"Ada\"}", "Idempotency-Key", "once-1");
            assertEquals("true", replay.headers().firstValue("Idempotent-Replayed").orElse(null), "the key was kept this time");
            assertEquals(TestServer.json(created).get("id"), TestServer.json(replay).get("id"));
            String runId = TestServer.json(untilNot503(() -> s.post("/api/agents/@local/steady/run", "{}"))).get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());
            assertEquals(1, TestServer.json(s.get("/api/runs")).get("data").size());
        }
    }

    private static void assertRedisUnavailable(HttpResponse<String> r, OwnRedis redis) {
        assertEquals(503, r.statusCode(), r.body());
        assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertEquals("5", r.headers().firstValue("Retry-After").orElse(null));
        JsonNode p = TestServer.json(r);
        assertEquals("redis_unavailable", p.get("code").asText(), r.body());
        assertTrue(p.get("detail").asText().startsWith("Redis unreachable at " + redis.url()), r.body());
    }

    /** Lettuce reconnects on its own schedule: the first requests after the restart may still find it down. */
    private static HttpResponse<String> untilNot503(java.util.function.Supplier<HttpResponse<String>> request) {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        HttpResponse<String> r = request.get();
        while (r.statusCode() == 503 && Instant.now().isBefore(deadline)) {
            r = request.get();
        }
        return r;
    }
}
