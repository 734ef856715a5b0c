package dev.appstrate.server.runs;

import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the pipeline tells the world besides the runner's events: platform log lines (through the same writer, so every
 * log reaches the streams in id order), status updates on the bus, and status listeners (webhooks).
 */
public final class RunFeed {
    private static final Logger LOG = LoggerFactory.getLogger(RunFeed.class);
    private final RunRepository repo;
    private final RunEventBus bus;
    private final EventBatchWriter writer;
    private final Clock clock;
    private final List<Consumer<RunRecord>> statusListeners = new CopyOnWriteArrayList<>();

    public RunFeed(RunRepository repo, RunEventBus bus, EventBatchWriter writer, Clock clock) {
        this.repo = repo;
        this.bus = bus;
        this.writer = writer;
        this.clock = clock;
    }

    /** Called with the run after every status change (started and terminal): webhooks listen here. */
    public void onStatusChange(Consumer<RunRecord> listener) {
        statusListeners.add(listener);
    }

    /** A log line the platform writes (not the runner): stored, then published; waits for its commit. */
    void log(ActiveRun run, RunRepository.NewLog log) {
        CompletableFuture<Long> done = new CompletableFuture<>();
        writer.submit(new EventBatchWriter.Item(run, 0, log, null, null, Times.iso(clock.instant()), done, null));
        try {
            done.join();
        } catch (CompletionException e) {
            LOG.warn("Run log not stored runId={} event={} error={}", run.runId, log.event(), e.getCause().toString());
        }
    }

    /** For the log writer: once a run's first runner event is stored, the run is visibly running. */
    public static Consumer<ActiveRun> runningOnFirstEvent(RunRepository repo, RunEventBus bus) {
        return run -> repo.find(run.runId).filter(r -> RunStatus.RUNNING.equals(r.status()))
                .ifPresent(r -> bus.publish(update(r, "UPDATE")));
    }

    void publishUpdate(RunRecord r, String operation) {
        bus.publish(update(r, operation));
    }

    private static RunEvent update(RunRecord r, String operation) {
        return new RunEvent(RunEvent.RUN_UPDATE, r.scope().applicationId(), r.id(), 0, RunPayloads.update(r, operation));
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
