package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;

/** One row of {@code runs}, grouped by what each part says. JSON columns are kept as trees. */
public record RunRecord(String id, String status, Scope scope, Origin origin, Setup setup, Timing timing, Outcome outcome) {

    /** Where it ran: organization, application, agent and the agent's version; the run's number within them. */
    public record Scope(String orgId, String applicationId, String packageId, String versionLabel, int runNumber) {
    }

    /** Who started it: a member, an end-user, an API key, a schedule (null where not). */
    public record Origin(String userId, String endUserId, String apiKeyId, String scheduleId) {
    }

    /** What it was started with: input, model (label and whose key), timeout and runner kind. */
    public record Setup(JsonNode input, String modelLabel, String modelSource, int timeoutSeconds, String runnerKind) {
    }

    /** When it started and ended, and the runner's liveness: its last heartbeat and event, the sink's closing. */
    public record Timing(String startedAt, String completedAt, Long duration, String lastHeartbeatAt, int lastEventSequence,
                         String sinkClosedAt) {
    }

    /** What it produced: output or error, token usage and cost (null until known). */
    public record Outcome(JsonNode output, String error, JsonNode tokenUsage, Double cost) {
        public static final Outcome NONE = new Outcome(null, null, null, null);
    }

    public boolean active() {
        return RunStatus.isActive(status);
    }
}
