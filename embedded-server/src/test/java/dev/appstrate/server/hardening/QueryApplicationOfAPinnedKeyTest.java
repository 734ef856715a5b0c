package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.TestServer;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An API key pinned to application A that asks for application B's event stream through the query (an EventSource's
 * {@code ?token=&applicationId=}) is refused, as the same request with {@code X-App-Id: B} is: it used to get A's
 * stream under B's name, 200.
 */
class QueryApplicationOfAPinnedKeyTest {
    @TempDir
    Path dataDir;

    @Test
    void aPinnedKeyAskingForAnotherApplicationsStreamIsRefused() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            String appA = s.defaultAppId();
            String appB = TestServer.json(s.post("/api/applications", "{\"name\":\"B\"}")).get("id").asText();
            String keyA = TestServer.json(s.post("/api/api-keys", "{\"name\":\"a\",\"scopes\":[\"runs:read\"]}")).get("key").asText();

            HttpResponse<InputStream> other = open(s, "/api/realtime/runs?token=" + keyA + "&applicationId=" + appB);
            String body;
            try (InputStream in = other.body()) {
                body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
            assertEquals(403, other.statusCode(), body);
            assertTrue(other.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"), body);
            assertTrue(body.contains("\"param\":\"applicationId\""), body);

            HttpResponse<InputStream> own = open(s, "/api/realtime/runs?token=" + keyA + "&applicationId=" + appA);
            own.body().close();
            assertEquals(200, own.statusCode(), "its own application's stream opens");
            HttpResponse<InputStream> implicit = open(s, "/api/realtime/runs?token=" + keyA);
            implicit.body().close();
            assertEquals(200, implicit.statusCode(), "no applicationId: the key's own application");
            HttpResponse<InputStream> empty = open(s, "/api/realtime/runs?token=" + keyA + "&applicationId=");
            empty.body().close();
            assertEquals(200, empty.statusCode(), "an empty applicationId is no applicationId, as an empty header is");
        }
    }

    private static HttpResponse<InputStream> open(TestServer s, String path) throws Exception {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(s.url() + path)).header("Accept", "text/event-stream")
                .build(), HttpResponse.BodyHandlers.ofInputStream());
    }
}
