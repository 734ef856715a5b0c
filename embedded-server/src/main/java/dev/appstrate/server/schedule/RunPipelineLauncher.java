package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.runs.RunAdmission;
import java.time.Instant;
import java.util.Optional;

/**
 * Starts scheduled runs through the run pipeline, as the schedule's actor and with its model override. A run that
 * cannot start (agent gone, no model, limits, invalid input) is recorded as a failed run with the reason.
 */
public final class RunPipelineLauncher implements ScheduledRunLauncher {
    private final RunAdmission runs;
    private final AgentCatalog catalog;
    private final ScheduleRepository schedules;

    public RunPipelineLauncher(RunAdmission runs, AgentCatalog catalog, ScheduleRepository schedules) {
        this.runs = runs;
        this.catalog = catalog;
        this.schedules = schedules;
    }

    @Override
    public LaunchResult launch(String scheduleId, String applicationId, String agentScope, String agentName, JsonNode input,
                               Instant fireTime) {
        Schedule s = schedules.find(scheduleId).orElse(null);
        if (s == null) {
            return LaunchResult.failed(null, "Schedule deleted");
        }
        String packageId = agentScope + "/" + agentName;
        Optional<AgentPackage> agent = catalog.find(applicationId, packageId);
        RunAdmission.StartRequest request = new RunAdmission.StartRequest(s.orgId(), applicationId, agent.orElse(null), input,
                s.modelIdOverride(), s.userId(), null, s.endUserId(), scheduleId);
        if (agent.isEmpty()) {
            return failed(request, "Agent '" + packageId + "' not found");
        }
        try {
            return LaunchResult.started(runs.start(request).id());
        } catch (ApiException e) {
            return failed(request, e.getMessage());
        }
    }

    private LaunchResult failed(RunAdmission.StartRequest request, String reason) {
        RunRecord failed = runs.recordFailedStart(request, reason);
        return LaunchResult.failed(failed.id(), reason);
    }
}
