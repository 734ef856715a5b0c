package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of {@code runs}. JSON columns are kept as trees. */
public record RunRecord(String id, String orgId, String applicationId, String packageId, String versionLabel, int runNumber,
                        String status, JsonNode input, JsonNode output, String error, String userId, String endUserId,
                        String apiKeyId, String scheduleId, String modelLabel, String modelSource, JsonNode tokenUsage,
                        Double cost, int timeoutSeconds, String runnerKind, int lastEventSequence, String lastHeartbeatAt,
                        String sinkClosedAt, String startedAt, String completedAt, Long duration) {

    public boolean active() {
        return RunStatus.isActive(status);
    }
}
