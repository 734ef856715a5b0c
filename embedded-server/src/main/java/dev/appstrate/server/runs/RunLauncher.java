package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.runs.adapter.RunLaunch;
import dev.appstrate.server.runs.adapter.RunStartException;
import dev.appstrate.server.store.StoreException;
import dev.appstrate.server.store.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.ExecutorService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Starts an admitted run's runner through the adapter on the launch pool; a runner that cannot start fails its run. */
public final class RunLauncher {
    private static final Logger LOG = LoggerFactory.getLogger(RunLauncher.class);
    private final RunRepository repo;
    private final RunFeed feed;
    private final RunAdapter adapter;
    private final RunnerEnvironment environment;
    private final RunFinalizer finalizer;
    private final RunWatchdog watchdog;
    private final RunLimits limits;
    private final ExecutorService pool;
    private final Path runsDir;
    private final Clock clock;

    public RunLauncher(RunRepository repo, RunFeed feed, RunAdapter adapter, RunnerEnvironment environment, RunFinalizer finalizer,
                       RunWatchdog watchdog, RunLimits limits, ExecutorService pool, Path runsDir, Clock clock) {
        this.repo = repo;
        this.feed = feed;
        this.adapter = adapter;
        this.environment = environment;
        this.finalizer = finalizer;
        this.watchdog = watchdog;
        this.limits = limits;
        this.pool = pool;
        this.runsDir = runsDir;
        this.clock = clock;
    }

    String adapterName() {
        return adapter.name();
    }

    void launchInBackground(ActiveRun run, AgentPackage agent, JsonNode input, int timeout) {
        pool.execute(() -> launch(run, agent, input, timeout));
    }

    private void launch(ActiveRun run, AgentPackage agent, JsonNode input, int timeout) {
        try {
            Path runDir = runsDir.resolve(run.runId);
            Files.createDirectories(runDir);
            JsonNode resources = agent.manifest().path("_meta").path("dev.appstrate/resources");
            long memory = Math.min(limits.agentMemoryCeilingMb(), resources.path("memory_mb").asLong(limits.agentMemoryCeilingMb()));
            double cpus = Math.min(limits.agentCpuCeiling(), resources.path("cpu").asDouble(limits.agentCpuCeiling()));
            adapter.start(new RunLaunch(run.runId, runDir, environment.of(run, agent, input, timeout), timeout, memory, cpus,
                    code -> watchdog.workloadExited(run.runId, code)));
            watchdog.armTimeout(run, timeout);
            if (repo.markRunning(run.runId, Times.iso(clock.instant()))) {
                repo.find(run.runId).ifPresent(r -> feed.statusChanged(r, "UPDATE"));
            }
        } catch (RunStartException e) {
            failLaunch(run.runId, e.getMessage());
        } catch (Exception e) {
            LOG.error("Run launch failed runId={}", run.runId, e);
            failLaunch(run.runId, "Could not start the run: " + e.getMessage());
        }
    }

    private void failLaunch(String runId, String message) {
        try {
            finalizer.finalizeInternal(runId, RunStatus.FAILED, message);
        } catch (StoreException e) {
            // the server is stopping and the database is closed: the next boot fails this run as interrupted
            LOG.info("Run launch abandoned at shutdown runId={}", runId);
        }
    }
}
