package dev.appstrate.server.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.SseClient;
import dev.appstrate.server.testing.SseClient.Frame;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The SSE routes go through the request pipeline's authentication, as an EventSource client sees it. */
class RealtimeAuthTest {
    @TempDir
    Path dataDir;

    private static HttpResponse<String> sse(TestServer s, String query, String... headers) {
        Map<String, String> h = new HashMap<>();
        h.put("Accept", "text/event-stream");
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return s.raw("GET", "/api/realtime/runs/run_unknown" + query, null, h);
    }

    @Test
    void aMissingOrWrongTokenIsTheOriginals401() {
        try (TestServer s = TestServer.start(dataDir)) {
            for (String query : List.of("?applicationId=" + s.defaultAppId(), "?token=nope&applicationId=" + s.defaultAppId())) {
                HttpResponse<String> r = sse(s, query);
                assertEquals(401, r.statusCode(), r.body());
                assertEquals("Invalid session or org", TestServer.json(r).get("detail").asText());
            }
        }
    }

    @Test
    void anApiKeyWithoutRunsReadIsRefusedAndWithItReachesTheRun() {
        try (TestServer s = TestServer.start(dataDir)) {
            String narrow = TestServer.json(s.post("/api/api-keys", "{\"name\":\"n\",\"scopes\":[\"agents:read\"]}"))
                    .get("key").asText();
            HttpResponse<String> refused = sse(s, "?token=" + narrow);
            assertEquals(403, refused.statusCode(), refused.body());
            assertTrue(TestServer.json(refused).get("detail").asText().contains("runs:read"), refused.body());

            String reader = TestServer.json(s.post("/api/api-keys", "{\"name\":\"r\",\"scopes\":[\"runs:read\"]}"))
                    .get("key").asText();
            HttpResponse<String> unknownRun = sse(s, "?token=" + reader);
            assertEquals(404, unknownRun.statusCode(), "the key's application is used, the run is looked up in it");
        }
    }

    @Test
    void theApplicationComesFromTheQueryOrTheHeaderAndMustBeInTheOrg() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            String token = "?token=" + TestServer.OWNER_TOKEN;
            assertEquals(400, sse(s, token).statusCode(), "an owner names the application");
            HttpResponse<String> foreign = sse(s, token + "&applicationId=app_elsewhere");
            assertEquals(404, foreign.statusCode(), foreign.body());
            assertTrue(foreign.body().contains("app_elsewhere"), foreign.body());
            assertEquals(404, sse(s, token, "X-App-Id", s.defaultAppId()).statusCode(), "app from the header, run unknown");

            List<Frame> frames = SseClient.read(s.url() + "/api/realtime/runs" + token + "&applicationId=" + s.defaultAppId(),
                    null, f -> f.event().equals("ping"), 1, null);
            assertEquals("ping", frames.get(0).event(), "the application-wide stream opens with a ping");
        }
    }
}
