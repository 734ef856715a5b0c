package dev.appstrate.server.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.testing.OwnerClient;
import dev.appstrate.server.testing.TestServer;
import java.io.IOException;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The server as users run it: its own process, started by a command line ({@code java [options] -jar
 * appstrate-server.jar}, or the installed {@code appstrate-server} launcher) with the test environment and a fresh
 * data folder, on a free port; a client with the owner credential. Its runners are its own children. The command's
 * output goes to {@code server.log} in the data folder.
 */
final class ServerProcess implements OwnerClient, AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Process process;
    private final Path dataDir;
    private final String url;
    /** When the command was started and when /health first answered 200 (System.nanoTime). */
    final long startedNanos;
    final long healthyNanos;
    private final String appId;

    private ServerProcess(Process process, Path dataDir, String url, long startedNanos, long healthyNanos) {
        this.process = process;
        this.dataDir = dataDir;
        this.url = url;
        this.startedNanos = startedNanos;
        this.healthyNanos = healthyNanos;
        this.appId = defaultApplication();
    }

    /** Starts {@code command} (program and arguments) on {@code dataDir} and waits until /health answers 200. */
    static ServerProcess start(List<String> command, Path dataDir) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dataDir.resolve("server.log").toFile());
        Map<String, String> extra = new java.util.HashMap<>(Map.of("PORT", String.valueOf(port), "HOST", "127.0.0.1"));
        // the server as users run it: its event-route warm-up at the product default unless bench.eventRouteWarmup says
        extra.put("EVENT_ROUTE_WARMUP_REQUESTS", System.getProperty("bench.eventRouteWarmup"));
        pb.environment().putAll(TestServer.env(dataDir, extra));
        long t0 = System.nanoTime();
        Process p = pb.start();
        String url = "http://127.0.0.1:" + port;
        HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/health")).timeout(Duration.ofSeconds(5)).build();
        long deadline = t0 + TimeUnit.MINUTES.toNanos(2);
        while (true) {
            if (!p.isAlive()) {
                throw new IllegalStateException("the server exited with " + p.exitValue() + ": " + tail(dataDir.resolve("server.log")));
            }
            try {
                if (HTTP.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return new ServerProcess(p, dataDir, url, t0, System.nanoTime());
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("/health never answered 200: " + tail(dataDir.resolve("server.log")));
            }
            Thread.sleep(10);
        }
    }

    /** {@code bench.server}'s value as a command line: split on spaces (paths with spaces are not supported here). */
    static List<String> command(String line) {
        List<String> cmd = new ArrayList<>();
        for (String part : line.trim().split("\\s+")) {
            cmd.add(part);
        }
        return cmd;
    }

    long pid() {
        return process.pid();
    }

    /** CPU time of the server's own process (its runners, being children, not counted). */
    long cpuNanos() {
        return process.toHandle().info().totalCpuDuration().map(Duration::toNanos).orElse(0L);
    }

    /** One number from the server's SQLite database, read by this process (the server keeps writing: WAL allows it). */
    long query(String sql, String param) throws Exception {
        try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + dataDir.resolve("appstrate.db"));
             PreparedStatement st = c.prepareStatement(sql)) {
            st.setString(1, param);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getLong(1) : -1;
            }
        }
    }

    @Override
    public String url() {
        return url;
    }

    @Override
    public String defaultAppId() {
        return appId;
    }

    @Override
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url + path)).timeout(Duration.ofSeconds(60));
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + TestServer.OWNER_TOKEN);
        h.put("X-App-Id", appId);
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        h.forEach((k, v) -> {
            if (v != null) {
                b.header(k, v);
            }
        });
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private String defaultApplication() {
        HttpResponse<String> r = send("GET", "/api/applications", null, "X-App-Id", null);
        for (JsonNode a : TestServer.json(r).path("data")) {
            if (a.path("isDefault").asBoolean()) {
                return a.get("id").asText();
            }
        }
        throw new IllegalStateException("no default application: " + r.statusCode() + " " + r.body());
    }

    /** Stops the server (SIGTERM, as a user's system does) and its runners, and waits for them. */
    @Override
    public void close() throws Exception {
        List<ProcessHandle> children = process.descendants().toList();
        process.destroy();
        if (!process.waitFor(1, TimeUnit.MINUTES)) {
            process.destroyForcibly().waitFor();
        }
        for (ProcessHandle c : children) {
            c.destroyForcibly();
        }
    }

    private static String tail(Path log) {
        try {
            String s = Files.readString(log);
            return s.substring(Math.max(0, s.length() - 2000));
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
