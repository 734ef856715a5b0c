package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.store.StoreBusyException;
import dev.appstrate.server.testing.Await;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A route answering later ({@link ApiResponse#later}): the caller gets its answer only once the route's stage completes
 * (on whichever thread completes it), failures as the same problem+json as a thrown error, and a caller that left
 * before its answer costs nobody else theirs.
 */
class LaterAnswerTest {
    private final Map<String, CompletableFuture<ApiResponse>> pending = new ConcurrentHashMap<>();
    private final HttpClient client = HttpClient.newHttpClient();
    private RouterServer server;
    private URI base;

    @BeforeEach
    void start() throws Exception {
        Router router = new Router();
        router.post("/later/{id}", req -> {
            CompletableFuture<ApiResponse> answer = new CompletableFuture<>();
            pending.put(req.pathParam("id"), answer);
            return ApiResponse.later(answer);
        }).publicRoute();
        router.get("/now", req -> ApiResponse.ok(Map.of("ok", true))).publicRoute();
        server = RouterServer.start(router);
        base = server.base();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private CompletableFuture<HttpResponse<String>> post(String id) {
        return client.sendAsync(HttpRequest.newBuilder(base.resolve("/later/" + id)).POST(HttpRequest.BodyPublishers.ofString("{}"))
                .header("traceparent", "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01").build(), HttpResponse.BodyHandlers.ofString());
    }

    private CompletableFuture<ApiResponse> routeReached(String id) throws InterruptedException {
        Await.until("the route holds request " + id, () -> pending.containsKey(id));
        return pending.get(id);
    }

    @Test
    void theAnswerComesWhenTheStageCompletesOnItsThread() throws Exception {
        CompletableFuture<HttpResponse<String>> call = post("a");
        CompletableFuture<ApiResponse> answer = routeReached("a");
        // meanwhile the server answers others: no request thread is held by the pending one
        HttpResponse<String> other = client.send(HttpRequest.newBuilder(base.resolve("/now")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, other.statusCode());
        assertFalse(call.isDone(), "answered before the route's stage completed");
        Thread completer = new Thread(() -> answer.complete(ApiResponse.ok(Map.of("stored", 42))), "not-a-jetty-thread");
        completer.start();
        HttpResponse<String> r = call.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("{\"stored\":42}", r.body());
        assertTrue(r.headers().firstValue("Request-Id").isPresent(), r.headers().map().toString());
        assertEquals("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", r.headers().firstValue("traceparent").orElse(null));
    }

    @Test
    void aFailedStageIsAnsweredAsTheSameProblemAsAThrownError() throws Exception {
        CompletableFuture<HttpResponse<String>> refused = post("refused");
        routeReached("refused").completeExceptionally(new ApiException(410, "run_sink_closed", "Gone", "The run's event sink is closed"));
        HttpResponse<String> r = refused.get(30, TimeUnit.SECONDS);
        assertEquals(410, r.statusCode());
        assertEquals(ProblemJson.CONTENT_TYPE, r.headers().firstValue("Content-Type").orElse(null));
        assertTrue(r.body().contains("\"code\":\"run_sink_closed\""), r.body());

        CompletableFuture<HttpResponse<String>> busy = post("busy");
        routeReached("busy").completeExceptionally(new StoreBusyException("no connection", null));
        HttpResponse<String> b = busy.get(30, TimeUnit.SECONDS);
        assertEquals(503, b.statusCode());
        assertTrue(b.body().contains("\"code\":\"database_busy\""), b.body());
        assertEquals("1", b.headers().firstValue("Retry-After").orElse(null));

        CompletableFuture<HttpResponse<String>> broken = post("broken");
        routeReached("broken").completeExceptionally(new IllegalStateException("disk on fire"));
        HttpResponse<String> x = broken.get(30, TimeUnit.SECONDS);
        assertEquals(500, x.statusCode());
        assertTrue(x.body().contains("\"code\":\"internal_error\"") && !x.body().contains("disk on fire"), x.body());
    }

    @Test
    void aCallerThatLeftBeforeItsAnswerCostsOthersNothing() throws Exception {
        try (Socket gone = new Socket(base.getHost(), base.getPort())) {
            OutputStream out = gone.getOutputStream();
            out.write(("POST /later/gone HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            routeReached("gone");
        }
        CompletableFuture<HttpResponse<String>> next = post("next");
        routeReached("next");
        pending.get("gone").complete(ApiResponse.ok(Map.of("late", true)));
        pending.get("next").complete(ApiResponse.ok(Map.of("next", true)));
        HttpResponse<String> r = next.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.statusCode());
        assertEquals("{\"next\":true}", r.body());
    }
}
