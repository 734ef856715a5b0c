package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A package installed in an application ({@code versionId} null = latest). */
public record Installation(String applicationId, String packageId, Long versionId, JsonNode inputSettings,
                           String modelId, JsonNode generationConfig, String proxyId, boolean enabled,
                           Instant installedAt, Instant updatedAt) {
}
