package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What every response of the pipeline carries, whichever way the route answered. */
class RequestPipelineTest {
    @TempDir
    Path dataDir;

    @Test
    void aRefusedRequestWithAnIdempotencyKeyKeepsTheRateLimitAndVersionHeaders() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            HttpResponse<String> plain = s.post("/api/agents/@local/missing/run", "{}");
            HttpResponse<String> keyed = s.send("POST", "/api/agents/@local/missing/run", "{}", "Idempotency-Key", "key-1");
            for (HttpResponse<String> r : java.util.List.of(plain, keyed)) {
                assertEquals(404, r.statusCode(), r.body());
                assertEquals(AppstrateHandler.API_VERSION, r.headers().firstValue("Appstrate-Version").orElse(null),
                        r.headers().map().toString());
                assertTrue(r.headers().firstValue("RateLimit").orElse("").startsWith("limit=20, remaining="),
                        r.headers().map().toString());
                assertEquals("20;w=60", r.headers().firstValue("RateLimit-Policy").orElse(null));
            }
        }
    }
}
