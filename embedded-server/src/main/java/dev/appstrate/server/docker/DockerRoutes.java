package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.docker.DockerCleanup;
import dev.appstrate.server.docker.DockerEngine;
import dev.appstrate.server.docker.DockerInventory;
import dev.appstrate.server.docker.DockerStatus;
import dev.appstrate.server.docker.DockerUnavailableException;
import dev.appstrate.server.docker.ManagedResource;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;

/**
 * Our extension for the desktop app's Docker screen: the engine status, the managed containers,
 * networks and volumes, and a cleanup with a dry-run preview. Owner or API key, not app-scoped.
 */
public final class DockerRoutes {
    /** {@code POST /api/docker/cleanup}: ids null = every orphan. */
    public record CleanupRequest(Boolean dryRun, List<String> ids, Boolean force) {
    }

    private final DockerEngine engine;
    private final DockerInventory inventory;
    private final DockerCleanup cleanup;
    private final Supplier<ObjectNode> runtimeInfo;
    private final Clock clock;

    /** @param runtimeInfo extra fields for the status (run adapter, sidecar pool) */
    public DockerRoutes(DockerEngine engine, DockerInventory inventory, DockerCleanup cleanup,
                        Supplier<ObjectNode> runtimeInfo, Clock clock) {
        this.engine = engine;
        this.inventory = inventory;
        this.cleanup = cleanup;
        this.runtimeInfo = runtimeInfo;
        this.clock = clock;
    }

    public void register(Router router) {
        router.get("/api/docker", req -> status())
                .extension("docker")
                .doc("Docker", "Docker engine status: available, or why not and how to fix it (extension)");
        router.get("/api/docker/resources", req -> resources())
                .extension("docker")
                .doc("Docker", "Managed containers, networks and volumes with run, state, age and orphan flag (extension)");
        router.post("/api/docker/cleanup", this::cleanup).orgWide()
                .extension("docker")
                .doc("Docker", "Remove chosen managed resources or all orphans; dryRun previews exactly what would go (extension)");
    }

    private ApiResponse status() {
        DockerStatus s = engine.refresh();
        ObjectNode body = s.toJson();
        body.setAll(runtimeInfo.get());
        return ApiResponse.ok(body);
    }

    private ApiResponse resources() {
        DockerInventory.Snapshot snap = snapshot();
        Instant now = clock.instant();
        ObjectNode body = Json.object();
        body.set("containers", array(snap.containers(), now));
        body.set("networks", array(snap.networks(), now));
        body.set("volumes", array(snap.volumes(), now));
        body.put("orphans", snap.orphans().size());
        return ApiResponse.ok(body);
    }

    private ApiResponse cleanup(ApiRequest req) {
        CleanupRequest body = req.body(CleanupRequest.class);
        if (body.ids() != null && body.ids().isEmpty()) {
            throw ApiException.validation("ids", "too_small", "ids must list at least one resource, or be null for all orphans");
        }
        try {
            DockerCleanup.Result r = cleanup.run(Boolean.TRUE.equals(body.dryRun()), body.ids(), Boolean.TRUE.equals(body.force()));
            return ApiResponse.ok(cleanup.toJson(r));
        } catch (DockerUnavailableException e) {
            throw unavailable(e);
        }
    }

    private DockerInventory.Snapshot snapshot() {
        try {
            return inventory.snapshot();
        } catch (DockerUnavailableException e) {
            throw unavailable(e);
        }
    }

    private static ApiException unavailable(DockerUnavailableException e) {
        return new ApiException(503, "docker_unavailable", "Docker Unavailable", e.getMessage()).retryAfter(5);
    }

    private static ArrayNode array(List<ManagedResource> list, Instant now) {
        ArrayNode a = Json.MAPPER.createArrayNode();
        list.forEach(r -> a.add(r.toJson(now)));
        return a;
    }
}
