package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/**
 * Starts the run of one schedule occurrence; implemented by the run pipeline. It must return promptly
 * (the run executes in the background) and is called at most once per (scheduleId, fireTime). When the
 * run cannot start (no model, limits, unknown agent) the pipeline records a failed run with the reason,
 * as the original does, and returns {@link LaunchResult#failed}. Overrides and actor: {@link Schedules#find}.
 */
public interface ScheduledRunLauncher {
    LaunchResult launch(String scheduleId, String applicationId, String agentScope, String agentName, JsonNode input,
                        Instant fireTime);

    /**
     * The outcome of a launch.
     *
     * @param runId   the run that was started, or the failed run recorded for a launch that could not start (may be null)
     * @param failure why the run could not start; null when it started
     */
    record LaunchResult(String runId, String failure) {
        public static LaunchResult started(String runId) {
            return new LaunchResult(runId, null);
        }

        public static LaunchResult failed(String runId, String reason) {
            return new LaunchResult(runId, reason == null ? "Run could not start" : reason);
        }

        public boolean isStarted() {
            return failure == null;
        }
    }
}
