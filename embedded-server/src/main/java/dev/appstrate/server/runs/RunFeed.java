package dev.appstrate.server.runs;

import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** What the pipeline tells the world: platform log lines, status updates on the bus, and status listeners (webhooks). */
public final class RunFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RunFeed.class);
    private final RunRepository repo;
    private final RunEventBus bus;
    private final Clock clock;
    private final List<Consumer<RunRecord>> statusListeners = new CopyOnWriteArrayList<>();

    public RunFeed(RunRepository repo, RunEventBus bus, Clock clock) {
        this.repo = repo;
        this.bus = bus;
        this.clock = clock;
    }

    /** Called with the run after every status change (started and terminal): webhooks listen here. */
    public void onStatusChange(Consumer<RunRecord> listener) {
        statusListeners.add(listener);
    }

    /** A log line the platform writes (not the runner): stored, then published. */
    void log(ActiveRun run, RunRepository.NewLog log) {
        String now = Times.iso(clock.instant());
        long id = repo.appendLog(run.runId, run.orgId, log, now);
        publishLog(run, id, log, now);
    }

    void publishLog(ActiveRun run, long id, RunRepository.NewLog log, String createdAt) {
        bus.publish(new RunEvent(RunEvent.RUN_LOG, run.applicationId, run.runId, id, RunPayloads.log(run, id, log, createdAt)));
    }

    void publishMetric(ActiveRun run, com.fasterxml.jackson.databind.JsonNode usage, Double cost) {
        bus.publish(new RunEvent(RunEvent.RUN_METRIC, run.applicationId, run.runId, 0, RunPayloads.metric(run, usage, cost)));
    }

    void publishUpdate(RunRecord r, String operation) {
        bus.publish(new RunEvent(RunEvent.RUN_UPDATE, r.applicationId(), r.id(), 0, RunPayloads.update(r, operation)));
    }

    /** A status change: on the bus, then to every listener (a failing listener is logged and skipped). */
    void statusChanged(RunRecord r, String operation) {
        publishUpdate(r, operation);
        for (Consumer<RunRecord> l : statusListeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("Run status listener failed runId={} error={}", r.id(), e.toString());
            }
        }
    }
}
