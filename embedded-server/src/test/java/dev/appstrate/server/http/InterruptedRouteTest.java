package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.Await;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A route interrupted while it waits (Jetty interrupts what still runs when a stop's grace ends: a model call in flight
 * when the user quits) answers 503 shutting_down, which a runner retries, not 500 internal_error.
 */
class InterruptedRouteTest {

    @Test
    void anInterruptedRouteAnswersShuttingDown() throws Exception {
        AtomicReference<Thread> waiting = new AtomicReference<>();
        CountDownLatch never = new CountDownLatch(1);
        Router router = new Router();
        router.get("/slow", req -> {
            waiting.set(Thread.currentThread());
            never.await();
            throw new IllegalStateException("the latch never opens");
        }).publicRoute();
        try (RouterServer server = RouterServer.start(router)) {
            CompletableFuture<HttpResponse<String>> call = HttpClient.newHttpClient().sendAsync(
                    HttpRequest.newBuilder(server.base().resolve("/slow")).build(), HttpResponse.BodyHandlers.ofString());
            Await.until("the route waits", () -> waiting.get() != null);
            waiting.get().interrupt();
            HttpResponse<String> r = call.get(30, TimeUnit.SECONDS);
            assertEquals(503, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"shutting_down\""), r.body());
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/problem+json"), r.headers().map().toString());
        }
    }
}
