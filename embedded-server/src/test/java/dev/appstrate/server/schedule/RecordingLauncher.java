package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** Stands in for the run pipeline (built elsewhere): starts nothing, remembers each launch and when it happened. */
final class RecordingLauncher implements ScheduledRunLauncher {
    record Launch(String scheduleId, Instant fireTime, Instant launchedAt, JsonNode input) {
    }

    private final Clock clock;
    final List<Launch> launches = new CopyOnWriteArrayList<>();
    volatile String failWith;
    /** Thrown by the next launch (a broken classpath, say), once. */
    volatile Error crashOnce;

    RecordingLauncher(Clock clock) {
        this.clock = clock;
    }

    @Override
    public LaunchResult launch(String scheduleId, String applicationId, String agentScope, String agentName,
                               JsonNode input, Instant fireTime) {
        Error crash = crashOnce;
        if (crash != null) {
            crashOnce = null;
            throw crash;
        }
        launches.add(new Launch(scheduleId, fireTime, clock.instant(), input));
        String runId = "run_" + launches.size();
        return failWith == null ? LaunchResult.started(runId) : LaunchResult.failed(runId, failWith);
    }

    List<Instant> fireTimes() {
        return launches.stream().map(Launch::fireTime).toList();
    }
}
