package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.KeyRing;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.timers.ManualTime;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A receiver that answers its headers at once and then trickles its body (hostile caller, session 11: 1 byte a second)
 * held the delivery sender, and a test ping's request thread, for as long as it kept trickling: the request's timeout
 * ends with the headers. The whole answer now has to arrive within the sender's timeout (1 s here, 15 s in the server);
 * past it the attempt is recorded as having had no response.
 */
class TricklingReceiverTest {
    private static final Instant T0 = Instant.parse("2025-06-02T10:00:00Z");
    private static final Webhooks.Caller OWNER = new Webhooks.Caller(TestTenant.ORG, TestTenant.APP, false);

    @TempDir
    Path dir;

    private final CountDownLatch released = new CountDownLatch(1);
    private final ExecutorService connections = NamedExecutors.cached("trickling-receiver");
    private HttpServer receiver;
    private Database db;

    @AfterEach
    void stop() {
        released.countDown();
        if (receiver != null) {
            receiver.stop(0);
        }
        connections.shutdownNow();
        if (db != null) {
            db.close();
        }
    }

    @Test
    void aReceiverThatNeverFinishesItsBodyFailsTheAttemptInsteadOfHoldingTheSender() throws Exception {
        receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            try (InputStream in = exchange.getRequestBody(); OutputStream out = exchange.getResponseBody()) {
                in.readAllBytes();
                exchange.sendResponseHeaders(200, 3_600);
                out.write('x');
                out.flush();
                released.await(); // the other 3,599 bytes never come while the test runs
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        receiver.setExecutor(connections);
        receiver.start();

        ManualTime time = new ManualTime(T0);
        db = TestTenant.open(dir.resolve("appstrate.db"), time);
        WebhookRepository store = new WebhookRepository(db, new SecretBox(KeyRing.of("k1", new byte[32], Map.of())));
        EgressGuard egress = new EgressGuard(List.of("127.0.0.1"));
        DeliveryWorker worker = new DeliveryWorker(store, new WebhookSender("test", Duration.ofSeconds(1)), egress, time, time,
                Runnable::run, 10);
        Webhooks webhooks = new Webhooks(store, TestTenant.tenancy(db, time), worker, egress, time);
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
        JsonNode body = Json.MAPPER.readTree("{\"url\":\"" + url + "\",\"events\":[\"run.success\"]}");
        Webhooks.Created c = webhooks.create(OWNER, Json.MAPPER.convertValue(body, Webhooks.CreateBody.class));

        // a guard only: before the fix this call did not return until the receiver let go
        Delivery ping = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> webhooks.test(OWNER, c.webhook().id()));
        assertEquals("failed", ping.status());
        assertNull(ping.statusCode(), "no complete answer, so no status is recorded as the receiver's");
        assertEquals("No response within 1 s", ping.error());
        worker.close();
    }
}
