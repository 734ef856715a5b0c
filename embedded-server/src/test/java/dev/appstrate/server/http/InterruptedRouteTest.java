package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
 * when the user quits) answers 503 shutting_down, which a runner retries, not 500 internal_error; an Error a route throws
 * is the API's own 500, its internals in the log only.
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

    @Test
    void anErrorThrownByARouteIsTheApisOwn500WithoutItsInternals() throws Exception {
        Router router = new Router();
        router.get("/broken", req -> {
            throw new AssertionError("internal detail of class dev.appstrate.Secretive");
        }).publicRoute();
        try (RouterServer server = RouterServer.start(router)) {
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(server.base().resolve("/broken")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(500, r.statusCode(), r.body());
            assertTrue(r.body().contains("\"internal_error\""), r.body());
            assertFalse(r.body().contains("Secretive") || r.body().contains("AssertionError"), r.body());
            String id = r.headers().firstValue("Request-Id").orElse("");
            assertTrue(!id.isEmpty() && r.body().contains(id), "the log line and the answer share an id: " + r.headers().map());
        }
    }
}
