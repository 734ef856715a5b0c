package dev.appstrate.desktop.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.Capability;
import dev.appstrate.desktop.client.ConnectProblem;
import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.client.ServerCapabilities;
import dev.appstrate.desktop.client.ServerConnect;
import dev.appstrate.desktop.client.ServerEndpoint;
import dev.appstrate.desktop.client.ServerExtensions;
import dev.appstrate.desktop.launch.EmbeddedServer;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The connect checks against the original (the fixture) and against our own server, as the app makes them. */
class ServerConnectTest {
    @TempDir
    Path dataDir;

    @Test
    void theOriginalIsRecognisedWithNoExtensionsAndTheKeysKnownLimits() {
        try (OriginalFixtureServer fixture = new OriginalFixtureServer();
             AppstrateClient c = new AppstrateClient(new ServerEndpoint(fixture.url(), fixture.fullKey(), false))) {
            ServerConnect.Result r = ServerConnect.connect(c);
            ServerCapabilities caps = c.capabilities();
            assertFalse(caps.ours());
            for (Capability cap : Capability.values()) {
                assertFalse(caps.has(cap), cap.name());
            }
            assertTrue(caps.allows("agents:read"));
            assertFalse(caps.allows("api-keys:read"), "an API key never holds api-keys:* on the original");
            assertFalse(caps.allows("model-provider-credentials:write"));
            assertEquals("", caps.database(), "the original does not say which database it uses");
            assertTrue(r.summary().contains("API key valid"), r.summary());
            // the original has no preview route: it is computed here and never asked of the server
            SchedulesApi.Preview preview = new SchedulesApi(c).preview("0 9 * * *", "UTC", 3);
            assertEquals(3, preview.nextLocal().size(), preview.toString());
            assertTrue(preview.nextLocal().stream().allMatch(t -> t.contains("T09:00")), preview.toString());
            assertTrue(fixture.requests().stream().noneMatch(x -> x.path().equals("/api/schedules/preview")));
        }
    }

    @Test
    void aPermissionTheKeyLacksIsLearnedFromTheFirstRefusal() {
        try (OriginalFixtureServer fixture = new OriginalFixtureServer();
             AppstrateClient c = new AppstrateClient(new ServerEndpoint(fixture.url(), fixture.keyWithout("webhooks:read"), false))) {
            ServerConnect.connect(c);
            assertTrue(c.capabilities().allows("webhooks:read"), "not known before the server says so");
            ApiProblem p = assertThrows(ApiProblem.class, () -> c.get("/api/webhooks", Map.of()));
            assertEquals("This API key lacks webhooks:read.", p.detail());
            assertFalse(c.capabilities().allows("webhooks:read"));
            assertTrue(c.capabilities().lacking().contains("webhooks:read"));
        }
    }

    @Test
    void aWrongKeyANonAppstrateServerAndAnUnreachableOneAreEachSaidOnce() throws Exception {
        try (OriginalFixtureServer fixture = new OriginalFixtureServer()) {
            try (AppstrateClient c = new AppstrateClient(new ServerEndpoint(fixture.url(), "ask_not_a_real_key_0000000000000000", false))) {
                ConnectProblem p = assertThrows(ConnectProblem.class, () -> ServerConnect.connect(c));
                assertEquals(ConnectProblem.Kind.INVALID_KEY, p.kind());
                assertEquals("Invalid or expired API key", p.title());
            }
            fixture.state().health().removeAll();
            try (AppstrateClient c = new AppstrateClient(new ServerEndpoint(fixture.url(), fixture.fullKey(), false))) {
                ConnectProblem p = assertThrows(ConnectProblem.class, () -> ServerConnect.connect(c));
                assertEquals(ConnectProblem.Kind.NOT_APPSTRATE, p.kind());
            }
        }
        int closedPort;
        try (ServerSocket s = new ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        try (AppstrateClient c = new AppstrateClient(new ServerEndpoint("http://127.0.0.1:" + closedPort, "ask_x", false))) {
            ConnectProblem p = assertThrows(ConnectProblem.class, () -> ServerConnect.connect(c));
            assertEquals(ConnectProblem.Kind.UNREACHABLE, p.kind());
        }
    }

    @Test
    void ourServerReportsItsExtensionsDatabaseAndAKeysScopes() throws Exception {
        EmbeddedServer server = EmbeddedServer.start(Map.of("LOG_LEVEL", "warn"), dataDir);
        try (AppstrateClient owner = new AppstrateClient(new ServerEndpoint(server.url(), server.ownerToken().orElse(""), true))) {
            ServerConnect.connect(owner);
            ServerCapabilities caps = owner.capabilities();
            assertTrue(caps.ours());
            for (Capability cap : Capability.values()) {
                assertTrue(caps.has(cap), cap.name());
            }
            // every request the client holds back for a capability is a route our server declares under that name
            com.fasterxml.jackson.databind.JsonNode paths = owner.send("GET", "/api/openapi.json", null).path("paths");
            for (ServerExtensions.Extension e : ServerExtensions.ALL) {
                assertEquals(e.capability().wireName(), paths.path(e.template()).path(e.method().toLowerCase(java.util.Locale.ROOT))
                        .path("x-appstrate-extension").asText(), e.method() + " " + e.template());
            }
            assertTrue(caps.allows("api-keys:read"), "the owner is not scope-limited");
            assertTrue(caps.database().startsWith("SQLite"), caps.database());
            owner.applicationId(owner.applications().path("data").get(0).path("id").asText());
            String key = owner.send("POST", "/api/api-keys", dev.appstrate.desktop.client.DesktopJson.object()
                    .put("name", "read only").set("scopes", dev.appstrate.desktop.client.DesktopJson.MAPPER.createArrayNode()
                            .add("agents:read").add("runs:read"))).path("key").asText();
            try (AppstrateClient c = new AppstrateClient(new ServerEndpoint(server.url(), key, false))) {
                ServerConnect.connect(c);
                assertTrue(c.capabilities().ours());
                assertTrue(c.capabilities().allows("runs:read"));
                assertFalse(c.capabilities().allows("schedules:write"), "known at connect from our server's answer");
                assertFalse(c.capabilities().allows("api-keys:read"));
            }
            // a key made as the API Keys page makes it may write models in its application's name, but not change the
            // org-wide ones: the Models page hides Set as default / Edit / Delete for it and says why
            String pageKey = owner.createApiKey("from the page").path("key").asText();
            try (AppstrateClient c = new AppstrateClient(new ServerEndpoint(server.url(), pageKey, false))) {
                ServerConnect.connect(c);
                assertTrue(c.capabilities().allows("models:write"));
                assertFalse(c.capabilities().allows("org:write"), "org:write is only had by asking for it");
            }
        } finally {
            server.stop();
        }
    }
}
