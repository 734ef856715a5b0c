package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * One row of {@code schedules}. {@code packageId} is {@code @scope/name}; exactly one of {@code userId} /
 * {@code endUserId} is the actor the runs act for. The overrides are passed through to the run pipeline.
 */
public record Schedule(
        String id,
        String orgId,
        String applicationId,
        String packageId,
        String userId,
        String endUserId,
        String name,
        boolean enabled,
        String cronExpression,
        String timezone,
        JsonNode input,
        String modelIdOverride,
        JsonNode generationConfigOverride,
        String proxyIdOverride,
        String versionOverride,
        JsonNode connectionOverrides,
        JsonNode dependencyOverrides,
        Instant lastRunAt,
        Instant nextRunAt,
        Instant createdAt,
        Instant updatedAt) {

    /** {@code @scope} of the agent. */
    public String agentScope() {
        return packageId.substring(0, packageId.indexOf('/'));
    }

    /** {@code name} of the agent. */
    public String agentName() {
        return packageId.substring(packageId.indexOf('/') + 1);
    }

    public CronRule rule() {
        return CronRule.of(cronExpression, timezone);
    }
}
