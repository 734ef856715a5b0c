package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.FrameBatch;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.store.SqlWrite;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit of run logs: callers queue events already in sequence order ({@link EventIngestion} orders them
 * under the run's lock) and wait; one writer thread commits everything queued in one transaction,
 * across runs, publishes to subscribers in commit order (so log ids reach every stream ascending),
 * and only then answers the callers: an acknowledged event is a committed one. The streams' socket writes happen on
 * their own thread ({@link FrameBatch}), so the writer only commits, queues frames and answers.
 */
public final class EventBatchWriter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventBatchWriter.class);
    private static final int MAX_BATCH = 2048;
    /** At most one socket write per stream per interval under load: a few ms more on the way to a viewer, never on the ack. */
    private static final long FLUSH_INTERVAL_MS = 5;
    private static final int WAIT_BUCKETS = 1000;
    private static final long WAIT_BUCKET_NS = 50_000;
    private static final long IDLE_POLL_NS = TimeUnit.MILLISECONDS.toNanos(250);
    private final FrameBatch frames = new FrameBatch("run-stream-flush", FLUSH_INTERVAL_MS, TimeUnit.MILLISECONDS);
    private final RunRepository repo;
    private final RunEventBus bus;
    private final Consumer<ActiveRun> onFirstEvent;
    private final BlockingQueue<Item> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile boolean closed;
    private volatile long batches;
    private volatile long items;
    private volatile int largest;
    /** Queued → answered per event in 50 µs steps (the last bucket: 50 ms or more), for {@link #stats()}. */
    private final int[] waits = new int[WAIT_BUCKETS + 1];
    private volatile long longestWaitNanos;

    /** One runner event ({@code seq > 0}) or a server-side log ({@code seq == 0}), and who waits for its commit. */
    record Item(ActiveRun run, int seq, RunRepository.NewLog log, JsonNode usage, Double cost, String now,
                CompletableFuture<Long> done, SqlWrite extra, long queuedNanos) {
        Item(ActiveRun run, int seq, RunRepository.NewLog log, JsonNode usage, Double cost, String now,
             CompletableFuture<Long> done, SqlWrite extra) {
            this(run, seq, log, usage, cost, now, done, extra, System.nanoTime());
        }
    }

    /** @param onFirstEvent called on the writer's thread once a run's first runner event is stored */
    public EventBatchWriter(RunRepository repo, RunEventBus bus, Consumer<ActiveRun> onFirstEvent) {
        this.repo = repo;
        this.bus = bus;
        this.onFirstEvent = onFirstEvent;
        this.thread = NamedExecutors.factory("run-log-writer").newThread(this::loop);
        thread.start();
    }

    /**
     * Batches committed, items in them, the largest batch, and how long events waited from being queued to being answered
     * (the group commit's share of an ingest's latency: p50/p99 to 50 µs, the longest exactly), since the start.
     */
    public record Stats(long batches, long items, int largest, long waitP50Micros, long waitP99Micros, long waitMaxMicros) {
    }

    public Stats stats() {
        long n = 0;
        for (int w : waits) {
            n += w;
        }
        return new Stats(batches, items, largest, waitPercentile(n, 0.50), waitPercentile(n, 0.99), longestWaitNanos / 1000);
    }

    private long waitPercentile(long n, double q) {
        long seen = 0;
        for (int b = 0; b <= WAIT_BUCKETS; b++) {
            seen += waits[b];
            if (seen > 0 && seen >= q * n) {
                return (b + 1) * WAIT_BUCKET_NS / 1000;
            }
        }
        return 0;
    }

    /** Queues an item; its future completes with the log id (0: no row, -1 never: a closed sink fails it with 410). */
    void submit(Item item) {
        if (closed) {
            item.done.completeExceptionally(new ApiException(503, "shutting_down", "Service Unavailable", "Server is shutting down"));
            return;
        }
        queue.add(item);
    }

    /** Queues a run's in-order events together (one hand-off, so one commit can take them all). */
    void submitAll(List<Item> items) {
        if (items.isEmpty()) {
            return;
        }
        if (closed) {
            items.forEach(this::submit);
            return;
        }
        queue.addAll(items);
    }

    /** Removes the queued runner events of one run (after a failed commit, so its sequence can be retried in order). */
    List<Item> unqueue(ActiveRun run) {
        List<Item> removed = new ArrayList<>();
        queue.removeIf(i -> {
            if (i.run == run && i.seq > 0) {
                removed.add(i);
                return true;
            }
            return false;
        });
        return removed;
    }

    private void loop() {
        List<Item> batch = new ArrayList<>(MAX_BATCH);
        while (!closed || !queue.isEmpty()) {
            try {
                Item first = queue.poll(IDLE_POLL_NS, TimeUnit.NANOSECONDS);
                if (first != null) {
                    batch.add(first);
                    queue.drainTo(batch, MAX_BATCH - 1);
                    count(batch.size());
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            } catch (RuntimeException | Error e) {
                // the batch's callers were answered in write(); the writer keeps going (an Error too: this one thread
                // commits every run's events, so its end would leave every later event unstored)
                LOG.error("Run log batch failed size={} error={}", batch.size(), e.toString());
            } finally {
                // frames queued by the batch (even a failed one's earlier publishes) go to the flush thread
                frames.release();
                batch.clear();
            }
        }
        frames.close();
    }

    /** Only the writer thread counts, so plain volatile writes are enough. */
    private void count(int size) {
        batches++;
        items += size;
        largest = Math.max(largest, size);
    }

    private void write(List<Item> batch) {
        List<RunRepository.BatchEvent> rows = new ArrayList<>(batch.size());
        for (Item i : batch) {
            rows.add(new RunRepository.BatchEvent(i.run.runId, i.run.orgId, i.seq, i.now, i.log, i.usage, i.cost, i.extra));
        }
        long[] ids;
        try {
            ids = repo.persistBatch(rows);
        } catch (RuntimeException | Error e) {
            failed(batch, e);
            throw e;
        }
        // the frames are written by the flush thread once released, after the callers were answered
        frames.collect(() -> publishAndAnswer(batch, ids));
    }

    private void publishAndAnswer(List<Item> batch, long[] ids) {
        Map<ActiveRun, Boolean> runsWithEvents = new LinkedHashMap<>();
        for (int k = 0; k < batch.size(); k++) {
            Item i = batch.get(k);
            if (ids[k] > 0) {
                bus.publish(new RunEvent(RunEvent.RUN_LOG, i.run.applicationId, i.run.runId, ids[k], RunPayloads.log(i.run, ids[k], i.log, i.now)));
            }
            if (ids[k] >= 0 && i.usage != null) {
                bus.publish(new RunEvent(RunEvent.RUN_METRIC, i.run.applicationId, i.run.runId, 0, RunPayloads.metric(i.run, i.usage, i.cost)));
            }
            if (ids[k] >= 0 && i.seq > 0) {
                runsWithEvents.put(i.run, Boolean.TRUE);
            }
        }
        for (ActiveRun run : runsWithEvents.keySet()) {
            if (!run.running) {
                run.running = true;
                try {
                    onFirstEvent.accept(run);
                } catch (RuntimeException | Error e) {
                    LOG.warn("Run status update not published runId={} error={}", run.runId, e.toString());
                }
            }
        }
        long answered = System.nanoTime();
        for (int k = 0; k < batch.size(); k++) {
            Item i = batch.get(k);
            long waited = answered - i.queuedNanos;
            waits[(int) Math.min(WAIT_BUCKETS, waited / WAIT_BUCKET_NS)]++;
            longestWaitNanos = Math.max(longestWaitNanos, waited);
            if (ids[k] < 0) {
                i.done.completeExceptionally(new ApiException(410, "run_sink_closed", "Gone", "The run's event sink is closed"));
            } else {
                i.done.complete(ids[k]);
            }
        }
    }

    /** Nothing of the batch was written: its callers get an error and each run's sequence steps back so retries land in order. */
    private void failed(List<Item> batch, Throwable e) {
        Map<ActiveRun, Integer> firstFailed = new LinkedHashMap<>();
        for (Item i : batch) {
            if (i.seq > 0) {
                firstFailed.merge(i.run, i.seq, Math::min);
            }
        }
        List<Item> all = new ArrayList<>(batch);
        for (Map.Entry<ActiveRun, Integer> f : firstFailed.entrySet()) {
            ActiveRun run = f.getKey();
            synchronized (run) {
                all.addAll(unqueue(run));
                run.lastSequence = Math.min(run.lastSequence, f.getValue() - 1);
                run.lastQueued = CompletableFuture.completedFuture(0L); // all up to the stepped-back sequence is stored
            }
        }
        for (Item i : all) {
            i.done.completeExceptionally(e);
        }
    }

    /** Commits what is queued, then stops the thread. */
    @Override
    public void close() {
        closed = true;
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
