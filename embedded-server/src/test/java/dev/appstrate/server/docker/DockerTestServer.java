package dev.appstrate.server.docker;

import dev.appstrate.server.AppstrateServer;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.RequestPolicies;
import dev.appstrate.server.http.Route;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * A real server on port 0 for the Docker tests, with owner-token auth. Stands in until the shared
 * TestServer harness is on this branch.
 */
public final class DockerTestServer implements AutoCloseable {
    public static final String OWNER_TOKEN = "test-owner-token-0123456789";
    private final AppstrateServer server;
    private final HttpClient http = HttpClient.newHttpClient();

    private DockerTestServer(AppstrateServer server) {
        this.server = server;
    }

    public static DockerTestServer start(Path dataDir, Map<String, String> extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("BETTER_AUTH_SECRET", "test-secret");
        env.put("UPLOAD_SIGNING_SECRET", "0123456789abcdef0123");
        env.put("CONNECTION_ENCRYPTION_KEY", "0Hg7kYOKc3qHBX1+QMlQP1FwzM08ecGUrBDbHK1Ver0=");
        env.put("PORT", "0");
        env.put("DATA_DIR", dataDir.toString());
        env.put("APPSTRATE_OWNER_TOKEN", OWNER_TOKEN);
        env.putAll(extraEnv);
        AppstrateServer s = new AppstrateServer(EnvConfigLoader.load(env), Clock.systemUTC()).start();
        s.context().handler().policies(new RequestPolicies() {
            @Override
            public AuthContext authenticate(ApiRequest request) {
                if (!("Bearer " + OWNER_TOKEN).equals(request.header("Authorization"))) {
                    throw ApiException.unauthorized("Invalid or missing session");
                }
                return new AuthContext(AuthContext.Kind.OWNER, "owner", "org_test", null, null, Set.of());
            }

            @Override
            public String resolveApplication(ApiRequest request) {
                return null;
            }

            @Override
            public RateLimitDecision rateLimit(ApiRequest request, Route route) {
                return RateLimitDecision.NONE;
            }
        });
        return new DockerTestServer(s);
    }

    public AppstrateServer server() {
        return server;
    }

    public HttpResponse<String> get(String path) {
        return send("GET", path, null, true);
    }

    public HttpResponse<String> post(String path, String json) {
        return send("POST", path, json, true);
    }

    public HttpResponse<String> send(String method, String path, String json, boolean auth) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
        if (json != null) {
            b.header("Content-Type", "application/json");
        }
        if (auth) {
            b.header("Authorization", "Bearer " + OWNER_TOKEN);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        server.stop();
    }
}
