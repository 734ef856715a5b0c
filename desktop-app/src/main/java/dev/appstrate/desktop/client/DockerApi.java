package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** {@code /api/docker}: the engine status, what Appstrate owns on it, and the cleanup (dry run first). */
public final class DockerApi {
    private final AppstrateClient client;

    public DockerApi(AppstrateClient client) {
        this.client = client;
    }

    /** {available, host, server_version | reason, hint, …}. */
    public JsonNode status() {
        return client.get("/api/docker", Map.of());
    }

    /** {containers, networks, volumes: [{id, kind, name, runId, state, age_seconds, orphaned, image}], orphans}. */
    public JsonNode resources() {
        return client.get("/api/docker/resources", Map.of());
    }

    /**
     * Removes (or with {@code dryRun} lists) the given resources, or every orphan when {@code ids} is null;
     * answers {containers, networks, volumes, failed, count}. Resources of an active run need {@code force}.
     */
    public JsonNode cleanup(boolean dryRun, List<String> ids, boolean force) {
        ObjectNode body = DesktopJson.object().put("dryRun", dryRun).put("force", force);
        if (ids == null) {
            body.putNull("ids");
        } else {
            ids.forEach(body.putArray("ids")::add);
        }
        return client.send("POST", "/api/docker/cleanup", body);
    }
}
