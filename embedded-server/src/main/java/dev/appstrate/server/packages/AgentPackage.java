package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * An agent as a run needs it: its id {@code @scope/name}, the version in use, the validated
 * manifest (input/output schemas, timeout, …) and the prompt text.
 */
public record AgentPackage(String id, String version, JsonNode manifest, String prompt, Instant createdAt,
                           Instant updatedAt) {

    public String scope() {
        return id.substring(1, id.indexOf('/'));
    }

    public String name() {
        return id.substring(id.indexOf('/') + 1);
    }
}
