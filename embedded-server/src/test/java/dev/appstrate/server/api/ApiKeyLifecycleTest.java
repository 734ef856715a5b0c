package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.tenancy.ApiKeyService;
import dev.appstrate.server.testing.MutableClock;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** API keys: shown once, stored only as a hash, and refused (401) once revoked or expired. */
class ApiKeyLifecycleTest {
    @TempDir
    Path dir;

    static HttpResponse<String> withKey(TestServer s, String key) {
        return s.raw("GET", "/api/agents", null, Map.of("Authorization", "Bearer " + key));
    }

    static void assertUnauthorized(HttpResponse<String> r) {
        assertEquals(401, r.statusCode(), r.body());
        assertEquals("Bearer error=\"invalid_token\"", r.headers().firstValue("WWW-Authenticate").orElse(""));
        JsonNode b = TestServer.json(r);
        assertEquals("unauthorized", b.get("code").asText());
        assertEquals("Invalid or expired API key", b.get("detail").asText());
    }

    /** Every byte the database keeps: the main file and its write-ahead log. */
    static String databaseBytes(Path dataDir) throws IOException {
        StringBuilder sb = new StringBuilder();
        try (Stream<Path> files = Files.list(dataDir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().startsWith("appstrate.db")).toList()) {
                sb.append(new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1));
            }
        }
        return sb.toString();
    }

    @Test
    void rawKeyIsShownOnceAndNeverStored() throws IOException {
        try (TestServer s = TestServer.start(dir)) {
            HttpResponse<String> r = s.post("/api/api-keys", "{\"name\":\"ci\",\"scopes\":[\"agents:read\"]}");
            assertEquals(201, r.statusCode(), r.body());
            JsonNode created = TestServer.json(r);
            String raw = created.get("key").asText();
            assertTrue(raw.matches("^ask_[0-9a-f]{48}$"), raw);
            assertEquals(raw.substring(0, 8), created.get("keyPrefix").asText());

            HttpResponse<String> list = s.get("/api/api-keys");
            assertFalse(list.body().contains(raw), "the list never shows the raw key");
            assertTrue(TestServer.json(list).get("data").get(0).has("keyPrefix"));

            assertEquals(200, withKey(s, raw).statusCode());
            String stored = databaseBytes(s.dataDir());
            assertFalse(stored.contains(raw), "the raw key is in the SQLite files");
            assertFalse(stored.contains(raw.substring(4)), "the key's secret part is in the SQLite files");
            assertTrue(stored.contains(ApiKeyService.sha256Hex(raw)), "the key's SHA-256 is what is stored");
        }
    }

    /**
     * A key made without scopes holds every scope a key may hold but org:write: its application's key never changes
     * the models every application runs on unless org:write was asked for (review s10, finding 1).
     */
    @Test
    void aKeyMadeWithoutScopesCannotChangeOrgWideModelsUntilOrgWriteIsAskedFor() {
        try (TestServer s = TestServer.start(dir)) {
            String modelId = dev.appstrate.server.testing.RunFixtures.addModel(s, "openai-compatible", "http://127.0.0.1:9/v1");
            JsonNode plain = TestServer.json(s.post("/api/api-keys", "{\"name\":\"x\"}"));
            assertFalse(plain.get("scopes").toString().contains("org:write"), plain.toString());
            assertTrue(plain.get("scopes").toString().contains("models:write"), plain.toString());
            String rename = "{\"label\":\"Renamed by a key\"}";
            HttpResponse<String> refused = s.raw("PUT", "/api/models/" + modelId, rename.getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + plain.get("key").asText(), "Content-Type", "application/json"));
            assertEquals(403, refused.statusCode(), refused.body());
            assertEquals("org_scope_required", TestServer.json(refused).get("code").asText());
            assertFalse(s.get("/api/models").body().contains("Renamed by a key"), "the model is unchanged");

            JsonNode asked = TestServer.json(s.post("/api/api-keys", "{\"name\":\"y\",\"scopes\":[\"models:write\",\"org:write\"]}"));
            HttpResponse<String> allowed = s.raw("PUT", "/api/models/" + modelId, rename.getBytes(StandardCharsets.UTF_8),
                    Map.of("Authorization", "Bearer " + asked.get("key").asText(), "Content-Type", "application/json"));
            assertEquals(200, allowed.statusCode(), allowed.body());
            assertTrue(s.get("/api/models").body().contains("Renamed by a key"));
        }
    }

    @Test
    void revokedKeyGets401() {
        try (TestServer s = TestServer.start(dir)) {
            JsonNode created = TestServer.json(s.post("/api/api-keys", "{\"name\":\"temp\"}"));
            String raw = created.get("key").asText();
            assertEquals(200, withKey(s, raw).statusCode());
            assertEquals(204, s.delete("/api/api-keys/" + created.get("id").asText()).statusCode());
            assertUnauthorized(withKey(s, raw));
            assertEquals(404, s.delete("/api/api-keys/" + created.get("id").asText()).statusCode(), "already revoked");
            assertFalse(s.get("/api/api-keys").body().contains(created.get("id").asText()), "revoked keys are not listed");
        }
    }

    @Test
    void expiredKeyGets401() {
        MutableClock clock = new MutableClock(Instant.now());
        try (TestServer s = TestServer.start(dir, Map.of(), clock)) {
            String expires = clock.instant().plus(Duration.ofMinutes(10)).toString();
            HttpResponse<String> r = s.post("/api/api-keys", "{\"name\":\"short\",\"expiresAt\":\"" + expires + "\"}");
            assertEquals(201, r.statusCode(), r.body());
            String raw = TestServer.json(r).get("key").asText();
            assertEquals(200, withKey(s, raw).statusCode());
            clock.advance(Duration.ofMinutes(9));
            assertEquals(200, withKey(s, raw).statusCode(), "still valid a minute before expiry");
            clock.advance(Duration.ofMinutes(2));
            assertUnauthorized(withKey(s, raw));

            HttpResponse<String> past = s.post("/api/api-keys", "{\"name\":\"past\",\"expiresAt\":\"2000-01-01T00:00:00Z\"}");
            assertEquals(400, past.statusCode());
            assertEquals("expiresAt", TestServer.json(past).get("errors").get(0).get("field").asText());
        }
    }

    @Test
    void unknownAndMissingCredentialsGet401WithBearerChallenge() {
        try (TestServer s = TestServer.start(dir)) {
            assertUnauthorized(withKey(s, "ask_" + "0".repeat(48)));
            HttpResponse<String> none = s.raw("GET", "/api/agents", null, Map.of());
            assertEquals(401, none.statusCode());
            assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
            assertEquals("Invalid or missing session", TestServer.json(none).get("detail").asText());
            HttpResponse<String> wrongOwner = s.raw("GET", "/api/applications", null, Map.of("Authorization", "Bearer not-the-owner"));
            assertEquals(401, wrongOwner.statusCode());
            assertEquals("application/problem+json", wrongOwner.headers().firstValue("Content-Type").orElse(""));
        }
    }
}
