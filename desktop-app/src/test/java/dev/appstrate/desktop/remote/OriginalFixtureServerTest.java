package dev.appstrate.desktop.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.ServerEndpoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The fixture answers as the original did: recorded bodies, its 401/403/404 and its request-schema checks. */
class OriginalFixtureServerTest {
    static OriginalFixtureServer fixture;

    @BeforeAll
    static void start() {
        fixture = new OriginalFixtureServer();
    }

    @AfterAll
    static void stop() {
        fixture.close();
    }

    private static AppstrateClient client(String key) {
        return new AppstrateClient(new ServerEndpoint(fixture.url(), key, false));
    }

    @Test
    void answersWithTheRecordedBodies() {
        try (AppstrateClient c = client(fixture.fullKey())) {
            assertEquals("healthy", c.health().status());
            assertEquals("dev", c.health().version());
            assertEquals("@bench-org/hello-world", c.agents().path("data").get(0).path("id").asText());
            assertEquals("Connection error.", c.runs(null, "failed", 5, 0).path("data").get(0).path("error").asText());
        }
    }

    @Test
    void refusesAWrongKeyAndAMissingScopeAsTheOriginalDoes() {
        try (AppstrateClient bad = client("ask_not_a_real_key_0000000000000000")) {
            ApiProblem p = assertThrows(ApiProblem.class, bad::agents);
            assertEquals(401, p.status());
            assertEquals("Invalid or expired API key", p.detail());
        }
        try (AppstrateClient c = client(fixture.fullKey())) {
            ApiProblem p = assertThrows(ApiProblem.class, c::apiKeys);
            assertEquals(403, p.status());
            assertEquals("Insufficient permissions: api-keys:read required", p.serverDetail());
            assertEquals("This API key lacks api-keys:read.", p.detail());
        }
        try (AppstrateClient c = client(fixture.keyWithout("webhooks:read"))) {
            ApiProblem p = assertThrows(ApiProblem.class, () -> c.get("/api/webhooks", java.util.Map.of()));
            assertEquals("webhooks:read", p.missingScope());
        }
    }

    @Test
    void ourExtensionsAreNotFoundAndBodiesAreCheckedAgainstTheOriginalsSchemas() {
        try (AppstrateClient c = client(fixture.fullKey())) {
            ApiProblem missing = assertThrows(ApiProblem.class, () -> c.get("/api/secrets/status", java.util.Map.of()));
            assertEquals(404, missing.status());
            assertTrue(missing.detail().startsWith("API endpoint not found"), missing.detail());
            JsonNode noLevel = DesktopJson.object().put("url", "https://hooks.example.com/x").set("events",
                    DesktopJson.MAPPER.createArrayNode().add("run.success"));
            ApiProblem invalid = assertThrows(ApiProblem.class, () -> c.send("POST", "/api/webhooks", noLevel));
            assertEquals(400, invalid.status());
            JsonNode withLevel = ((com.fasterxml.jackson.databind.node.ObjectNode) noLevel.deepCopy())
                    .put("level", "application").put("applicationId", OriginalFixtureServer.APPLICATION_ID);
            assertTrue(c.send("POST", "/api/webhooks", withLevel).path("secret").asText().startsWith("whsec_"));
        }
    }
}
