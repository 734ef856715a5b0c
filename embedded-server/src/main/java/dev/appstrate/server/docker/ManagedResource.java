package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import java.time.Duration;
import java.time.Instant;

/**
 * A container, network or volume Appstrate owns on the engine, with the run it belongs to and
 * whether it is orphaned (its run is unknown or over).
 *
 * @param kind      container, network or volume
 * @param id        the engine id (the name for volumes)
 * @param name      the name
 * @param runId     the run it belongs to, null for pooled sidecars
 * @param state     container state (running, exited, …), "pooled", or for networks/volumes "present"
 * @param createdAt when it was created (null when the engine does not say)
 * @param active    its run is active (or it is a sidecar in this server's pool)
 * @param detail    the image for containers, null otherwise
 */
public record ManagedResource(Kind kind, String id, String name, String runId, String state, Instant createdAt,
                              boolean active, String detail) {
    public enum Kind {
        CONTAINER, NETWORK, VOLUME;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean orphaned() {
        return !active;
    }

    public ObjectNode toJson(Instant now) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("kind", kind.wire());
        n.put("name", name);
        n.put("runId", runId);
        n.put("state", state);
        if (createdAt != null) {
            n.put("createdAt", createdAt.toString());
            n.put("age_seconds", Math.max(0, Duration.between(createdAt, now).toSeconds()));
        } else {
            n.putNull("createdAt");
            n.putNull("age_seconds");
        }
        n.put("orphaned", orphaned());
        if (kind == Kind.CONTAINER) {
            n.put("image", detail);
        }
        return n;
    }
}
