package dev.appstrate.server.runs;

import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.store.Times;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server's safety nets around runners: a run past its timeout, a runner that exited without a result, a runner
 * gone silent (no heartbeat), runs a crash left active at boot, and stopping every runner at shutdown.
 */
public final class RunWatchdog {
    private static final Logger LOG = LoggerFactory.getLogger(RunWatchdog.class);
    static final String RESTARTED = "Server restarted while run was in progress. Please retry.";
    static final String STALLED = "Runner stopped reporting — no heartbeat for %ds. The runner process may have crashed or lost "
            + "network connectivity.";
    /** A finalize still in flight gets this long to land before a runner's exit is called a crash. */
    private static final long EXIT_GRACE_SECONDS = 3;
    /** The runner enforces its own timeout; the platform's net catches one that cannot, this much later. */
    private static final long SAFETY_NET_EXTRA_SECONDS = 30;
    private final RunRepository repo;
    private final InFlightRuns inFlight;
    private final RunFinalizer finalizer;
    private final RunAdapter adapter;
    private final ScheduledExecutorService timers;
    private final Path runsDir;
    private final Clock clock;

    public RunWatchdog(RunRepository repo, InFlightRuns inFlight, RunFinalizer finalizer, RunAdapter adapter,
                       ScheduledExecutorService timers, Path runsDir, Clock clock) {
        this.repo = repo;
        this.inFlight = inFlight;
        this.finalizer = finalizer;
        this.adapter = adapter;
        this.timers = timers;
        this.runsDir = runsDir;
        this.clock = clock;
    }

    /** Arms the platform timeout of a run that just started. */
    void armTimeout(ActiveRun run, int timeoutSeconds) {
        run.safetyNet = timers.schedule(() -> timeoutRun(run.runId, timeoutSeconds), timeoutSeconds + SAFETY_NET_EXTRA_SECONDS,
                TimeUnit.SECONDS);
    }

    private void timeoutRun(String runId, int timeout) {
        if (inFlight.isActive(runId)) {
            adapter.stop(runId, RunFinalizer.STOP_GRACE);
            finalizer.finalizeInternal(runId, RunStatus.TIMEOUT, "Run timed out after " + timeout + "s");
        }
    }

    /** The adapter's report that a runner exited (with any code). */
    void workloadExited(String runId, int code) {
        if (!inFlight.isActive(runId)) {
            return;
        }
        timers.schedule(() -> {
            if (inFlight.isActive(runId)) {
                finalizer.finalizeInternal(runId, RunStatus.FAILED, "The agent runner exited with code " + code
                        + " before reporting a result" + RunnerOutput.tail(runsDir.resolve(runId)));
            }
        }, EXIT_GRACE_SECONDS, TimeUnit.SECONDS);
    }

    /** Checks for silent runners every {@code interval}, failing those quiet for longer than {@code threshold}. */
    public void watch(Duration interval, Duration threshold) {
        timers.scheduleWithFixedDelay(() -> {
            try {
                failStalled(threshold);
                failRunsOfDeadPeers();
            } catch (RuntimeException e) {
                LOG.warn("Run watchdog pass failed: {}", e.toString());
            }
        }, interval.toSeconds(), interval.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Fails runs whose runner went silent (a live peer's runs are its own watchdog's), ending them at their last sign of
     * life, as a restart does: the silence after it is not the run's duration.
     */
    public int failStalled(Duration threshold) {
        String before = Times.iso(clock.instant().minus(threshold));
        int n = 0;
        for (RunRecord r : repo.stalled(before)) {
            if (!inFlight.isActive(r.id()) && inFlight.ownership().runByLivePeer(r)) {
                continue;
            }
            adapter.stop(r.id(), RunFinalizer.STOP_GRACE);
            if (finalizer.finalizeInternal(r.id(), RunStatus.FAILED, String.format(STALLED, threshold.toSeconds()), lastKnownAlive(r))) {
                n++;
            }
        }
        if (n > 0) {
            LOG.warn("Run watchdog finalized stalled runs count={} stallThresholdSeconds={}", n, threshold.toSeconds());
        }
        return n;
    }

    /**
     * With several instances: runs whose owner stopped its heartbeat (killed, crashed, stopped) are failed with the
     * restart message; the terminal status is one compare-and-set, so of all survivors exactly one reports each.
     */
    public int failRunsOfDeadPeers() {
        RunOwnership ownership = inFlight.ownership();
        if (!ownership.shared()) {
            return 0;
        }
        int n = 0;
        for (RunRecord r : repo.active()) {
            if (inFlight.isActive(r.id()) || ownership.runByLivePeer(r)) {
                continue;
            }
            if (finalizer.finalizeInternal(r.id(), RunStatus.FAILED, RESTARTED, lastKnownAlive(r))) {
                n++;
                LOG.warn("Run of an instance that stopped responding finalized runId={}", r.id());
            }
        }
        return n;
    }

    /** At boot: runs a crash left active are failed and their runners killed; a live peer's runs are left alone. */
    public int recoverAtBoot() {
        List<RunRecord> orphans = repo.active().stream().filter(r -> !inFlight.ownership().runByLivePeer(r)).toList();
        for (RunRecord r : orphans) {
            adapter.stop(r.id(), RunFinalizer.STOP_GRACE);
            finalizer.finalizeInternal(r.id(), RunStatus.FAILED, RESTARTED, lastKnownAlive(r));
        }
        int leftovers = adapter.cleanupOrphans(Set.of());
        if (!orphans.isEmpty() || leftovers > 0) {
            LOG.warn("Finalized orphaned runs count={} killedRunners={}", orphans.size(), leftovers);
        }
        return orphans.size();
    }

    /**
     * When the server last knew a run alive: its last heartbeat or event (both stamp last_heartbeat_at), else its start.
     * A run failed at boot ends there, not at the boot, so its duration is not the time the server was down; one whose
     * runner went silent ends there too, not when the watchdog noticed.
     */
    static Instant lastKnownAlive(RunRecord r) {
        Instant started = Times.parse(r.timing().startedAt());
        String beat = r.timing().lastHeartbeatAt();
        Instant last = beat == null ? started : Times.parse(beat);
        return started == null || last == null || last.isAfter(started) ? last : started;
    }

    /** Stops every run in flight (server shutdown): they are failed at the next boot if they cannot finish. */
    public void stopAll() {
        for (String runId : inFlight.ids()) {
            adapter.stop(runId, RunFinalizer.STOP_GRACE);
        }
    }
}
