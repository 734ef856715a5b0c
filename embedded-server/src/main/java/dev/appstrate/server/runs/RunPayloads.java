package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;

/** The JSON of what the run pipeline publishes on the bus (run_update, run_log, run_metric), in one place. */
final class RunPayloads {
    private static final int ERROR_CAP = 2000;

    private RunPayloads() {
    }

    static ObjectNode log(ActiveRun run, long id, RunRepository.NewLog log, String createdAt) {
        ObjectNode n = Json.object();
        n.put("id", id);
        n.put("runId", run.runId);
        n.put("orgId", run.orgId);
        n.put("applicationId", run.applicationId);
        n.put("type", log.type());
        n.put("level", log.level());
        n.put("event", log.event());
        n.put("message", log.message());
        n.set("data", log.data());
        n.put("createdAt", createdAt);
        return n;
    }

    static ObjectNode metric(ActiveRun run, JsonNode usage, Double cost) {
        ObjectNode m = Json.object();
        m.put("runId", run.runId);
        m.put("orgId", run.orgId);
        m.put("applicationId", run.applicationId);
        m.put("packageId", run.packageId);
        m.set("tokenUsage", usage);
        if (cost != null) {
            m.put("costSoFar", cost);
        } else {
            m.putNull("costSoFar");
        }
        return m;
    }

    static ObjectNode update(RunRecord r, String operation) {
        ObjectNode n = Json.object();
        n.put("operation", operation);
        n.put("id", r.id());
        n.put("packageId", r.scope().packageId());
        n.put("status", r.status());
        n.put("userId", r.origin().userId());
        n.put("endUserId", r.origin().endUserId());
        n.put("orgId", r.scope().orgId());
        n.put("applicationId", r.scope().applicationId());
        n.put("scheduleId", r.origin().scheduleId());
        String error = r.outcome().error();
        n.put("error", error == null ? null : error.substring(0, Math.min(ERROR_CAP, error.length())));
        n.put("startedAt", r.timing().startedAt());
        n.put("completedAt", r.timing().completedAt());
        if (r.timing().duration() == null) {
            n.putNull("duration");
        } else {
            n.put("duration", r.timing().duration());
        }
        return n;
    }

    /** The data of the run_completed log line. */
    static ObjectNode completed(String runId, String status, String error) {
        ObjectNode data = Json.object().put("runId", runId).put("status", status);
        if (error != null) {
            data.put("error", error);
        }
        return data;
    }
}
