package dev.appstrate.server.hardening;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15.10 and 15.8: /health is 503 "starting" from the first accepted connection; details only with a credential. */
class HealthAtBootTest {
    @TempDir
    Path dir;

    @Test
    void healthIsNever404FromTheFirstAcceptedConnection() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        List<Integer> statuses = new CopyOnWriteArrayList<>();
        AtomicBoolean polling = new AtomicBoolean(true);
        CountDownLatch sawStarting = new CountDownLatch(1);
        Thread poller = new Thread(() -> {
            while (polling.get()) {
                int status = statusOf(port);
                if (status > 0) {
                    statuses.add(status);
                    if (status == 503) {
                        sawStarting.countDown();
                    }
                }
            }
        }, "health-poller");
        poller.start();
        CountDownLatch release = new CountDownLatch(1);
        AppstrateServer server = new AppstrateServer(EnvConfigLoader.load(TestServer.env(dir.resolve("data"),
                Map.of("PORT", String.valueOf(port)))), Clock.systemUTC()).beforeReady(() -> {
                    try {
                        release.await(30, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
        Thread starter = new Thread(server::start, "starter");
        starter.start();
        try {
            assertTrue(sawStarting.await(60, TimeUnit.SECONDS), "never saw 503 starting: " + statuses);
            release.countDown();
            starter.join(60_000);
            int ready = statusOf(port);
            assertEquals(200, ready);
        } finally {
            polling.set(false);
            poller.join(10_000);
            release.countDown();
            server.stop();
        }
        assertFalse(statuses.isEmpty());
        assertEquals(503, statuses.get(0), "the first answer is 503 starting: " + statuses);
        assertFalse(statuses.contains(404), "never 404: " + statuses);
        assertTrue(statuses.stream().allMatch(s -> s == 503 || s == 200), statuses.toString());
    }

    @Test
    void healthDetailsOnlyForAuthenticatedCallers() {
        Path socket = dir.resolve("secret-home/docker.sock");
        try (TestServer s = TestServer.start(dir.resolve("data"), Map.of("DOCKER_HOST", "unix://" + socket))) {
            var anonymous = s.raw("GET", "/health", null, Map.of());
            assertEquals(200, anonymous.statusCode());
            assertFalse(anonymous.body().contains(dir.toString()), anonymous.body());
            JsonNode body = TestServer.json(anonymous);
            assertEquals("healthy", body.at("/checks/database/status").asText());
            assertEquals("unavailable", body.at("/checks/docker/status").asText());
            assertFalse(body.at("/checks/docker").has("reason"), body.toString());

            var wrongToken = s.raw("GET", "/health", null, Map.of("Authorization", "Bearer not-the-token-at-all"));
            assertFalse(wrongToken.body().contains(dir.toString()), wrongToken.body());

            var owner = s.raw("GET", "/health", null, Map.of("Authorization", "Bearer " + s.ownerToken()));
            assertTrue(owner.body().contains(socket.toString()), owner.body());
        }
    }

    /** One raw GET /health; 0 when nothing listens yet. */
    private static int statusOf(int port) {
        try (Socket sock = new Socket(InetAddress.getLoopbackAddress(), port)) {
            sock.getOutputStream().write(("GET /health HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String head = new String(sock.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return head.length() >= 12 ? Integer.parseInt(head.substring(9, 12)) : 0;
        } catch (IOException | NumberFormatException e) {
            return 0;
        }
    }
}
