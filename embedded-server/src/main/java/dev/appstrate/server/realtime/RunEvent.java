package dev.appstrate.server.realtime;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One message on the local bus: channel {@code run_update}, {@code run_log} or {@code run_metric},
 * the application and run it belongs to, the log id for {@code run_log} (else 0) and its payload.
 */
public record RunEvent(String channel, String applicationId, String runId, long logId, JsonNode payload) {
    public static final String RUN_UPDATE = "run_update";
    public static final String RUN_LOG = "run_log";
    public static final String RUN_METRIC = "run_metric";
}
