package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** {@code /api/docker} (our server only): the engine status, what Appstrate owns on it, and the cleanup (dry run first). */
public final class DockerApi {
    /** The engine as the server sees it: version and host when up, otherwise why and how to fix it. */
    public record Status(boolean available, String host, String serverVersion, String apiVersion, String reason, String hint,
                         String runAdapter, int sidecarPoolReady, int sidecarPoolSize, boolean imagesReady) {
        static Status of(JsonNode s) {
            return new Status(s.path("available").asBoolean(), DesktopJson.text(s, "host"), DesktopJson.text(s, "server_version"),
                    DesktopJson.text(s, "api_version"), DesktopJson.text(s, "reason"), DesktopJson.text(s, "hint"),
                    DesktopJson.text(s, "run_adapter"), s.path("sidecar_pool_ready").asInt(), s.path("sidecar_pool_size").asInt(),
                    s.path("images_ready").asBoolean());
        }
    }

    /** A container, network or volume Appstrate owns; {@code createdAt} "" and {@code ageSeconds} -1 when unknown. */
    public record Resource(String id, String kind, String name, String runId, String state, String createdAt, long ageSeconds,
                           boolean orphaned, String image) {
        static Resource of(JsonNode r) {
            JsonNode age = r.get("age_seconds");
            return new Resource(DesktopJson.text(r, "id"), DesktopJson.text(r, "kind"), DesktopJson.text(r, "name"),
                    DesktopJson.text(r, "runId"), DesktopJson.text(r, "state"), DesktopJson.text(r, "createdAt"),
                    age == null || age.isNull() ? -1 : age.asLong(), r.path("orphaned").asBoolean(), DesktopJson.text(r, "image"));
        }
    }

    /** Resources by kind, and how many are orphans. */
    public record Resources(List<Resource> containers, List<Resource> networks, List<Resource> volumes, int orphans) {
        static Resources of(JsonNode r) {
            return new Resources(list(r.path("containers")), list(r.path("networks")), list(r.path("volumes")), r.path("orphans").asInt());
        }

        public List<Resource> all() {
            List<Resource> out = new ArrayList<>(containers);
            out.addAll(networks);
            out.addAll(volumes);
            return out;
        }
    }

    /** What a cleanup removed (or would remove), and "name: error" for each it could not. */
    public record Cleanup(Resources removed, List<String> failures) {
    }

    private final AppstrateClient client;

    public DockerApi(AppstrateClient client) {
        this.client = client;
    }

    /** Whether the server has a Docker page at all (the original does not). */
    public boolean supported() {
        return client.capabilities().has(Capability.DOCKER);
    }

    public Status status() {
        return Status.of(client.get("/api/docker", Map.of()));
    }

    public Resources resources() {
        return Resources.of(client.get("/api/docker/resources", Map.of()));
    }

    /**
     * Removes (or with {@code dryRun} lists) the given resources, or every orphan when {@code ids} is null.
     * Resources of an active run need {@code force}.
     */
    public Cleanup cleanup(boolean dryRun, List<String> ids, boolean force) {
        ObjectNode body = DesktopJson.object().put("dryRun", dryRun).put("force", force);
        if (ids == null) {
            body.putNull("ids");
        } else {
            ids.forEach(body.putArray("ids")::add);
        }
        JsonNode r = client.send("POST", "/api/docker/cleanup", body);
        List<String> failures = new ArrayList<>();
        r.path("failed").forEach(f -> failures.add(DesktopJson.text(f, "name") + ": " + DesktopJson.text(f, "error")));
        return new Cleanup(Resources.of(r), List.copyOf(failures));
    }

    private static List<Resource> list(JsonNode arr) {
        List<Resource> out = new ArrayList<>();
        arr.forEach(x -> out.add(Resource.of(x)));
        return List.copyOf(out);
    }
}
