package dev.appstrate.server.boot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.testing.ServerProcess;
import dev.appstrate.server.testing.TestServer;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerLifecycleTest {
    @TempDir
    Path dataDir;

    @Test
    void bootsOnAFreePortAndReportsHealthy() {
        try (TestServer s = TestServer.start(dataDir)) {
            assertTrue(s.server().port() > 0);
            HttpResponse<String> r = s.raw("GET", "/health", null, Map.of());
            assertEquals(200, r.statusCode());
            JsonNode body = TestServer.json(r);
            assertEquals("healthy", body.get("status").asText());
            assertEquals("healthy", body.at("/checks/database/status").asText());
            assertTrue(body.get("uptime_ms").asLong() >= 0);
            assertTrue(body.at("/version/app").isTextual());
            assertTrue(r.headers().firstValue("Request-Id").orElseThrow().matches("req_[0-9a-f-]{36}"));
        }
    }

    @Test
    void answers503StartingUntilBootHasFinished() throws Exception {
        CountDownLatch inBoot = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AppstrateServer server = new AppstrateServer(EnvConfigLoader.load(TestServer.env(dataDir, Map.of())), Clock.systemUTC())
                .beforeReady(() -> {
                    inBoot.countDown();
                    await(release);
                });
        Thread boot = new Thread(server::start);
        boot.start();
        try {
            assertTrue(inBoot.await(30, TimeUnit.SECONDS));
            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> health = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(503, health.statusCode());
            assertEquals("1", health.headers().firstValue("Retry-After").orElseThrow());
            assertEquals("starting", TestServer.json(health).get("status").asText());
            HttpResponse<String> api = http.send(HttpRequest.newBuilder(URI.create(server.url() + "/api/agents"))
                    .header("Authorization", "Bearer " + TestServer.OWNER_TOKEN).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(503, api.statusCode());
            assertEquals("starting", TestServer.json(api).get("code").asText());
            assertEquals("application/problem+json", api.headers().firstValue("Content-Type").orElseThrow());
        } finally {
            release.countDown();
            boot.join();
        }
        HttpResponse<String> after = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(server.url() + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, after.statusCode());
        server.stop();
    }

    @Test
    void secondBootAppliesNoMigrationAndKeepsData() throws Exception {
        String appId;
        try (TestServer first = TestServer.start(dataDir)) {
            assertTrue(first.server().migrationsApplied() > 0);
            appId = first.defaultAppId();
            assertEquals(201, first.post("/api/applications", "{\"name\":\"Kept\"}").statusCode());
        }
        try (TestServer second = TestServer.start(dataDir)) {
            assertEquals(0, second.server().migrationsApplied());
            assertEquals(appId, second.defaultAppId());
            assertTrue(second.get("/api/applications").body().contains("\"Kept\""));
        }
    }

    @Test
    void stopLeavesNoThreadOrFileLockBehind() throws Exception {
        TestServer s = TestServer.start(dataDir);
        s.get("/api/applications");
        s.stop();
        s.stop(); // idempotent
        long deadline = System.currentTimeMillis() + 15_000;
        while (serverThreads() > 0 && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        assertEquals(0, serverThreads(), "server threads still alive: " + Thread.getAllStackTraces().keySet());
        assertFalse(Files.exists(dataDir.resolve("appstrate.db-wal")), "WAL folded back on clean stop");
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("appstrate.db"));
             Statement st = c.createStatement()) {
            st.execute("PRAGMA locking_mode=EXCLUSIVE");
            st.execute("BEGIN EXCLUSIVE");
            st.execute("COMMIT");
        }
    }

    @Test
    void refusesMutatingRequestsWhileShuttingDown() {
        try (TestServer s = TestServer.start(dataDir)) {
            s.server().state().shuttingDown();
            HttpResponse<String> r = s.post("/api/applications", "{\"name\":\"late\"}");
            assertEquals(503, r.statusCode());
            assertEquals("shutting_down", TestServer.json(r).get("code").asText());
            assertEquals(200, s.get("/api/applications").statusCode(), "reads still served");
        }
    }

    @Test
    void refusesAForeignHostHeader() throws Exception {
        try (TestServer s = TestServer.start(dataDir)) {
            int port = s.server().port();
            String evil = rawGet(port, "evil.example", "/health", "");
            assertTrue(evil.startsWith("HTTP/1.1 421 "), evil);
            assertTrue(evil.contains("\"code\":\"host_not_allowed\""), evil);
            String rebinding = rawGet(port, "attacker.test:" + port, "/api/applications",
                    "Authorization: Bearer " + TestServer.OWNER_TOKEN + "\r\n");
            assertTrue(rebinding.startsWith("HTTP/1.1 421 "), rebinding);
            assertTrue(rawGet(port, "localhost:" + port, "/health", "").startsWith("HTTP/1.1 200 "));
        }
    }

    @Test
    void unknownApiPathIsProblemJson404() {
        try (TestServer s = TestServer.start(dataDir)) {
            HttpResponse<String> r = s.get("/api/does-not-exist");
            assertEquals(404, r.statusCode());
            JsonNode p = TestServer.json(r);
            assertEquals("not_found", p.get("code").asText());
            assertEquals("API endpoint not found: GET /api/does-not-exist", p.get("detail").asText());
            assertEquals("https://docs.appstrate.dev/errors/not-found", p.get("type").asText());
            assertEquals("urn:appstrate:request:" + p.get("requestId").asText(), p.get("instance").asText());
        }
    }

    @Test
    void portInUseIsOneReadableLine() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            Map<String, String> env = TestServer.env(dataDir, Map.of("PORT", String.valueOf(taken.getLocalPort())));
            ServerProcess.Result r = ServerProcess.run(env, 60);
            assertEquals(1, r.exitCode());
            String last = r.stderr().strip();
            assertEquals("Port " + taken.getLocalPort() + " is already in use on 127.0.0.1 (or cannot be bound). Start with another "
                    + "port, e.g. PORT=" + (taken.getLocalPort() + 1) + ", or PORT=0 to pick any free port.", last);
        }
    }

    @Test
    void sigtermStopsGracefullyWithExitCodeZero() throws Exception {
        Process p = ServerProcess.builder(TestServer.env(dataDir, Map.of("LOG_LEVEL", "info"))).redirectErrorStream(true).start();
        java.util.concurrent.LinkedBlockingQueue<String> lines = new java.util.concurrent.LinkedBlockingQueue<>();
        StringBuffer all = new StringBuffer();
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    all.append(line).append('\n');
                    lines.add(line);
                }
            } catch (java.io.IOException ignored) {
                // process ended
            }
        });
        reader.start();
        Pattern ready = Pattern.compile("Server ready url=(\\S+)");
        String url = null;
        long deadline = System.currentTimeMillis() + 60_000;
        while (url == null && System.currentTimeMillis() < deadline) {
            String line = lines.poll(1, TimeUnit.SECONDS);
            Matcher m = line == null ? null : ready.matcher(line);
            if (m != null && m.find()) {
                url = m.group(1);
            }
        }
        assertTrue(url != null, "never ready: " + all);
        String boot = all.toString();
        assertTrue(boot.contains("Database: SQLite (embedded) path="), boot);
        assertTrue(boot.contains("Storage: filesystem path="), boot);
        assertTrue(boot.contains("Infrastructure mode: local (queue, pubsub, cache, rateLimit)"), boot);
        assertTrue(boot.contains("Run adapter: process"), boot);
        HttpResponse<String> h = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url + "/health")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, h.statusCode());
        p.toHandle().destroy(); // SIGTERM (Process.destroy would also close our end of the pipes)
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        reader.join(10_000);
        assertEquals(0, p.exitValue(), all.toString());
        assertTrue(all.toString().contains("Shutdown complete"), all.toString());
    }

    /** A request with a Host header of our choosing (java.net.http will not send a foreign one). */
    private static String rawGet(int port, String host, String path, String extraHeaders) throws Exception {
        try (java.net.Socket sock = new java.net.Socket(java.net.InetAddress.getLoopbackAddress(), port)) {
            sock.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\n" + extraHeaders
                    + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static long serverThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .map(Thread::getName).filter(n -> n.startsWith("http-") || n.startsWith("apikey-touch")).count();
    }

    private static void await(CountDownLatch l) {
        try {
            l.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
