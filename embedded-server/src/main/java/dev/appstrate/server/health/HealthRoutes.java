package dev.appstrate.server.health;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.http.ServerState;
import dev.appstrate.server.json.JsonTrees;
import dev.appstrate.server.store.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.function.Predicate;
import java.util.function.Supplier;

/** {@code GET /health}: public, 503 "starting" until boot is done, then a database check. */
public final class HealthRoutes {
    /** A named check that contributes to /health (docker, agents, …). */
    public interface Check {
        String name();

        /** A JSON object with at least {@code status}: healthy, degraded or unhealthy. */
        ObjectNode run();
    }

    private final ServerState state;
    private final Supplier<Database> db;
    private final Clock clock;
    private final Instant startedAt;
    private final String version;
    private final java.util.List<Check> checks = new java.util.concurrent.CopyOnWriteArrayList<>();

    private final Predicate<ApiRequest> authenticated;

    /** {@code authenticated} tells a caller with a valid credential, who sees every check's details. */
    public HealthRoutes(ServerState state, Supplier<Database> db, Clock clock, Instant startedAt, String version,
                        Predicate<ApiRequest> authenticated) {
        this.authenticated = authenticated;
        this.state = state;
        this.db = db;
        this.clock = clock;
        this.startedAt = startedAt;
        this.version = version;
    }

    public void addCheck(Check check) {
        checks.add(check);
    }

    public void register(Router router) {
        router.get("/health", req -> health(req)).publicRoute().doc("Health", "Server health and readiness");
    }

    ApiResponse health(ApiRequest req) {
        ObjectNode body = JsonTrees.object();
        if (state.phase() == ServerState.Phase.STARTING) {
            body.put("status", "starting");
            body.set("version", versionNode());
            return json(503, body).header("Retry-After", "1");
        }
        ObjectNode checksNode = JsonTrees.object();
        checksNode.set("database", databaseCheck());
        for (Check c : checks) {
            checksNode.set(c.name(), c.run());
        }
        if (!checksNode.has("agents")) {
            // the default runner ships inside this server: once boot is done, agents can run
            checksNode.set("agents", JsonTrees.object().put("status", "healthy"));
        }
        boolean unhealthy = false;
        boolean degraded = false;
        for (var it = checksNode.elements(); it.hasNext(); ) {
            String s = it.next().path("status").asText();
            unhealthy |= s.equals("unhealthy");
            degraded |= s.equals("degraded");
        }
        body.put("status", unhealthy ? "unhealthy" : degraded ? "degraded" : "healthy");
        body.set("version", versionNode());
        body.put("uptime_ms", clock.millis() - startedAt.toEpochMilli());
        // details (paths searched, errors) only for callers with a credential: anyone local can reach /health
        body.set("checks", authenticated.test(req) ? checksNode : statusesOnly(checksNode));
        return json(unhealthy ? 503 : 200, body);
    }

    /** Written without the server's mapper: /health answers while the boot is still building it. */
    private static ApiResponse json(int status, ObjectNode body) {
        return ApiResponse.bytes(status, "application/json", JsonTrees.bytes(body));
    }

    private static ObjectNode statusesOnly(ObjectNode checks) {
        ObjectNode out = JsonTrees.object();
        checks.fields().forEachRemaining(e -> {
            ObjectNode c = out.putObject(e.getKey()).put("status", e.getValue().path("status").asText());
            // a timing says nothing about the machine: the original shows it to anyone
            if (e.getValue().has("latency_ms")) {
                c.set("latency_ms", e.getValue().get("latency_ms"));
            }
        });
        return out;
    }

    private ObjectNode versionNode() {
        ObjectNode v = JsonTrees.object();
        v.put("app", version);
        return v;
    }

    private ObjectNode databaseCheck() {
        ObjectNode n = JsonTrees.object();
        long t0 = System.nanoTime();
        try {
            db.get().ping();
            n.put("status", "healthy");
        } catch (RuntimeException e) {
            n.put("status", "unhealthy");
            n.put("error", e.getMessage());
        }
        n.put("latency_ms", (System.nanoTime() - t0) / 1_000_000);
        return n;
    }
}
