package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.runs.RunAdmission;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiPredicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts scheduled runs through the run pipeline, as the schedule's actor and with its model override. A run that
 * cannot start (agent gone, no model, limits, invalid input) is recorded as a failed run with the reason. A schedule
 * whose agent is gone is then turned off: it would make a failed run at every occurrence, for ever.
 */
public final class RunPipelineLauncher implements ScheduledRunLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(RunPipelineLauncher.class);
    private final RunAdmission runs;
    private final AgentCatalog catalog;
    private final ScheduleRepository schedules;
    private final BiPredicate<String, String> installedNow;
    private final Clock clock;

    /** @param installedNow whether an agent is installed in an application, read now (the catalog may be cached) */
    public RunPipelineLauncher(RunAdmission runs, AgentCatalog catalog, BiPredicate<String, String> installedNow,
                               ScheduleRepository schedules, Clock clock) {
        this.runs = runs;
        this.catalog = catalog;
        this.installedNow = installedNow;
        this.schedules = schedules;
        this.clock = clock;
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
        if (agent.isEmpty() && installedNow.test(applicationId, packageId)) {
            return failed(request, "Agent '" + packageId + "' not found"); // another instance's cache: not gone for good
        }
        if (agent.isEmpty()) {
            // deleted before deleting an agent took its schedules with it, or uninstalled from this application
            schedules.disable(scheduleId, clock.instant());
            LOG.warn("Schedule turned off: its agent is gone scheduleId={} packageId={}", scheduleId, packageId);
            return failed(request, "Agent '" + packageId + "' not found: the schedule is turned off");
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
