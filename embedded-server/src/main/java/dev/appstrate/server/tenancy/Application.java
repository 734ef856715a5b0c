package dev.appstrate.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

public record Application(String id, String orgId, String name, boolean isDefault, JsonNode settings, String createdBy,
                          Instant createdAt, Instant updatedAt) {
}
