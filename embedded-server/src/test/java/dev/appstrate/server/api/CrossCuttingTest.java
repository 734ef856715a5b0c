package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.testing.MutableClock;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rate limits, body limit, strict bodies and the Appstrate-Version header, as a client sees them. */
class CrossCuttingTest {
    private static final Pattern RATE = Pattern.compile("^limit=(\\d+), remaining=(\\d+), reset=(\\d+)$");

    @TempDir
    Path dir;

    @Test
    void rateLimitHeadersOnEveryLimitedResponseAnd429WhenOver() {
        // a fixed instant: the window opens with the first request and the whole test sits in it
        MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:01Z"));
        try (TestServer s = TestServer.start(dir, Map.of(), clock)) {
            for (int i = 1; i <= 60; i++) {
                // every third one is invalid: refused bodies count too and carry the headers
                HttpResponse<String> r = s.post("/api/end-users", i % 3 == 0 ? "{\"name\":5}" : "{\"name\":\"user " + i + "\"}");
                assertEquals(i % 3 == 0 ? 400 : 201, r.statusCode(), r.body());
                Matcher m = RATE.matcher(r.headers().firstValue("RateLimit").orElse(""));
                assertTrue(m.matches(), r.headers().map().toString());
                assertEquals("60", m.group(1));
                assertEquals(60 - i, Integer.parseInt(m.group(2)));
                assertEquals(60, Integer.parseInt(m.group(3)));
                assertEquals("60;w=60", r.headers().firstValue("RateLimit-Policy").orElse(""));
            }
            HttpResponse<String> over = s.post("/api/end-users", "{\"name\":\"one too many\"}");
            assertEquals(429, over.statusCode());
            assertEquals("60", over.headers().firstValue("Retry-After").orElse(""));
            assertEquals("limit=60, remaining=0, reset=60", over.headers().firstValue("RateLimit").orElse(""));
            assertEquals("60;w=60", over.headers().firstValue("RateLimit-Policy").orElse(""));
            JsonNode p = TestServer.json(over);
            assertEquals("rate_limited", p.get("code").asText());
            assertEquals(60, p.get("retryAfter").asInt());
            assertEquals("Too many requests. Please try again shortly.", p.get("detail").asText());

            // another caller has its own bucket; GET has its own limit; routes without a limit send no header
            String key = TestServer.json(s.post("/api/api-keys", "{\"name\":\"other\"}")).get("key").asText();
            HttpResponse<String> other = s.raw("POST", "/api/end-users", "{}".getBytes(), Map.of("Authorization", "Bearer " + key,
                    "Content-Type", "application/json"));
            assertEquals(201, other.statusCode(), other.body());
            assertTrue(s.get("/api/end-users").headers().firstValue("RateLimit").orElse("").startsWith("limit=300, remaining=299"));
            assertTrue(s.get("/api/applications").headers().firstValue("RateLimit").isEmpty());

            clock.advance(Duration.ofSeconds(60));
            assertEquals(201, s.post("/api/end-users", "{\"name\":\"next window\"}").statusCode(), "a new window starts");
        }
    }

    @Test
    void bodiesOverTheLimitGet413() throws Exception {
        try (TestServer s = TestServer.start(dir, Map.of("API_BODY_LIMIT_BYTES", "1024"))) {
            String big = "{\"name\":\"" + "x".repeat(2000) + "\"}";
            HttpResponse<String> r = s.post("/api/applications", big);
            assertEquals(413, r.statusCode());
            assertEquals("payload_too_large", TestServer.json(r).get("code").asText());
            assertEquals("application/problem+json", r.headers().firstValue("Content-Type").orElse(""));
            // a chunked body (no Content-Length) is counted as it is read
            HttpRequest chunked = HttpRequest.newBuilder(URI.create(s.url() + "/api/applications"))
                    .header("Authorization", "Bearer " + s.ownerToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(big.getBytes()))).build();
            HttpResponse<String> c = HttpClient.newHttpClient().send(chunked, HttpResponse.BodyHandlers.ofString());
            assertEquals(413, c.statusCode(), c.body());
            assertEquals(1, TestServer.json(s.get("/api/applications")).get("data").size(), "nothing was created");
            assertEquals(201, s.post("/api/applications", "{\"name\":\"small\"}").statusCode());
        }
    }

    @Test
    void unknownBodyFieldsAreRefused() {
        try (TestServer s = TestServer.start(dir)) {
            for (String[] c : new String[][]{{"/api/applications", "{\"name\":\"x\",\"color\":\"red\"}", "color"},
                    {"/api/end-users", "{\"name\":\"x\",\"nickname\":\"y\"}", "nickname"},
                    {"/api/api-keys", "{\"name\":\"x\",\"admin\":true}", "admin"},
                    {"/api/packages/agents", "{\"manifest\":{},\"content\":\"x\",\"draft\":true}", "draft"}}) {
                HttpResponse<String> r = s.post(c[0], c[1]);
                assertEquals(400, r.statusCode(), c[0]);
                JsonNode p = TestServer.json(r);
                assertEquals("validation_failed", p.get("code").asText());
                assertEquals(c[2], p.get("errors").get(0).get("field").asText());
                assertEquals("unknown_field", p.get("errors").get(0).get("code").asText());
            }
            HttpResponse<String> notJson = s.post("/api/applications", "{nope");
            assertEquals(400, notJson.statusCode());
            assertEquals("invalid_request", TestServer.json(notJson).get("code").asText());
            assertEquals(1, TestServer.json(s.get("/api/applications")).get("data").size(), "nothing was created");
        }
    }

    @Test
    void appstrateVersionHeaderOnAuthenticatedResponses() {
        try (TestServer s = TestServer.start(dir)) {
            assertEquals(AppstrateHandler.API_VERSION, s.get("/api/agents").headers().firstValue("Appstrate-Version").orElse(""));
            assertEquals(AppstrateHandler.API_VERSION, s.get("/api/agents/@nobody/nothing").headers().firstValue("Appstrate-Version").orElse(""),
                    "on errors of authenticated requests too");
            assertFalse(s.raw("GET", "/health", null, Map.of()).headers().firstValue("Appstrate-Version").isPresent());
            assertTrue(s.get("/api/agents").headers().firstValue("Request-Id").orElse("").startsWith("req_"));
            HttpResponse<String> bad = s.send("GET", "/api/agents", null, "Appstrate-Version", "yesterday");
            assertEquals(400, bad.statusCode());
            assertEquals("invalid_api_version", TestServer.json(bad).get("code").asText());
            HttpResponse<String> old = s.send("GET", "/api/agents", null, "Appstrate-Version", "2020-01-01");
            assertEquals(400, old.statusCode());
            assertEquals("unsupported_api_version", TestServer.json(old).get("code").asText());
            assertEquals(200, s.send("GET", "/api/agents", null, "Appstrate-Version", AppstrateHandler.API_VERSION).statusCode());
        }
    }
}
