package dev.appstrate.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.tenancy.Tenancy;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * A real server on port 0 with a fresh data folder (and, with -Dappstrate.test.database=postgresql, a fresh PostgreSQL
 * database: {@link TestDatabases}), and a client that sends the owner credential.
 */
public final class TestServer implements OwnerClient, AutoCloseable {
    public static final String OWNER_TOKEN = "test-owner-token-0123456789";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AppstrateServer server;
    private final Path dataDir;

    private TestServer(AppstrateServer server, Path dataDir) {
        this.server = server;
        this.dataDir = dataDir;
    }

    /** The environment a test server boots with; extra entries override. */
    public static Map<String, String> env(Path dataDir, Map<String, String> extra) {
        Map<String, String> env = new HashMap<>();
        env.put("BETTER_AUTH_SECRET", "test-auth-secret");
        env.put("UPLOAD_SIGNING_SECRET", "test-upload-secret-0123456789");
        env.put("CONNECTION_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[32]));
        env.put("PORT", "0");
        env.put("DATA_DIR", dataDir.toString());
        env.put("APPSTRATE_OWNER_TOKEN", OWNER_TOKEN);
        env.put("LOG_LEVEL", "warn");
        // ≈ 1,000 requests of CPU at every start: off in tests, on where a test or bench asks for the product default (null)
        env.put("EVENT_ROUTE_WARMUP_REQUESTS", "0");
        if (!extra.containsKey("DATABASE_URL")) {
            env.put("DATABASE_URL", TestDatabases.databaseUrlFor(dataDir)); // null (SQLite) unless the run is on PostgreSQL
        }
        env.putAll(extra);
        env.values().removeIf(v -> v == null);
        return env;
    }

    public static TestServer start(Path dataDir) {
        return start(dataDir, Map.of());
    }

    public static TestServer start(Path dataDir, Map<String, String> extraEnv) {
        return start(dataDir, extraEnv, Clock.systemUTC());
    }

    public static TestServer start(Path dataDir, Map<String, String> extraEnv, Clock clock) {
        AppstrateServer s = new AppstrateServer(EnvConfigLoader.load(env(dataDir, extraEnv)), clock);
        s.start();
        return new TestServer(s, dataDir);
    }

    public AppstrateServer server() {
        return server;
    }

    public Path dataDir() {
        return dataDir;
    }

    @Override
    public String url() {
        return server.url();
    }

    public String ownerToken() {
        return OWNER_TOKEN;
    }

    @Override
    public String defaultAppId() {
        return server.components().tenancy().defaultApplicationId();
    }

    public HttpResponse<String> delete(String path) {
        return send("DELETE", path, null);
    }

    /** Sends with the owner credential and the default application unless headers override (a null value removes). */
    @Override
    public HttpResponse<String> send(String method, String path, String body, String... headers) {
        Map<String, String> h = new HashMap<>();
        h.put("Authorization", "Bearer " + OWNER_TOKEN);
        h.put("X-App-Id", defaultAppId());
        if (body != null) {
            h.put("Content-Type", "application/json");
        }
        for (int i = 0; i + 1 < headers.length; i += 2) {
            h.put(headers[i], headers[i + 1]);
        }
        return raw(method, path, body == null ? null : body.getBytes(java.nio.charset.StandardCharsets.UTF_8), h);
    }

    /** Sends exactly these headers. */
    public HttpResponse<String> raw(String method, String path, byte[] body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + path)).timeout(Duration.ofSeconds(60));
        headers.forEach((k, v) -> {
            if (v != null) {
                b.header(k, v);
            }
        });
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonNode json(HttpResponse<String> r) {
        try {
            return Json.MAPPER.readTree(r.body());
        } catch (Exception e) {
            throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
        }
    }

    public void stop() {
        server.stop();
    }

    @Override
    public void close() {
        stop();
    }
}
