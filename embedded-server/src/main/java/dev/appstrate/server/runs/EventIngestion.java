package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.server.concurrent.Deadlines;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.SqlWrite;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's signed events: verified, put in sequence order (out-of-order ones buffered until the gap fills, replays
 * dropped) and handed to the group-commit {@link EventBatchWriter}. A run's ordering state is guarded by the run's lock.
 */
public final class EventIngestion {
    private static final Logger LOG = LoggerFactory.getLogger(EventIngestion.class);
    private static final int BUFFER_CAP = 10_000;
    /** How long an event waits for its commit, and an event ahead of a gap for the gap to fill. */
    private static final long COMMIT_WAIT_MS = 30_000;
    private static final long GAP_WAIT_MS = 5_000;
    /** How late a commit or gap bound may answer: each sweep wakes the timer thread, busy or idle. */
    private static final long DEADLINE_SWEEP_MS = 250;
    private final RunRepository repo;
    private final InFlightRuns inFlight;
    private final EventBatchWriter writer;
    private final RunnerEventHook transcripts;
    private final Clock clock;
    /** Answers still waiting after these bounds are given up on (a commit: 503) or told "buffered" (ahead of a gap). */
    private final Deadlines commitWait;
    private final Deadlines gapWait;

    /** A runner request whose signature checked out. */
    public record Verified(ActiveRun run, String body) {
    }

    /**
     * @param transcripts stores each {@code appstrate.transcript.*} event's row in the event's own transaction
     * @param timers sweeps the answers' deadlines (a few times a second)
     */
    public EventIngestion(RunRepository repo, InFlightRuns inFlight, EventBatchWriter writer, RunnerEventHook transcripts,
                          Clock clock, ScheduledExecutorService timers) {
        this.repo = repo;
        this.inFlight = inFlight;
        this.writer = writer;
        this.transcripts = transcripts;
        this.clock = clock;
        this.commitWait = new Deadlines(COMMIT_WAIT_MS, TimeUnit.MILLISECONDS, timers, DEADLINE_SWEEP_MS);
        this.gapWait = new Deadlines(GAP_WAIT_MS, TimeUnit.MILLISECONDS, timers, DEADLINE_SWEEP_MS);
    }

    /**
     * Verifies a runner's signed request to {@code /api/runs/{id}/…}: its Standard Webhooks headers over {@code body}
     * (empty for uploads and GETs); throws the original's 401/404/410 problems.
     */
    public ActiveRun verify(ApiRequest req, String body) {
        String runId = req.pathParam("id");
        String id = req.header("webhook-id");
        String timestamp = req.header("webhook-timestamp");
        String signature = req.header("webhook-signature");
        ActiveRun run = inFlight.get(runId);
        if (run == null) {
            if (repo.find(runId).isEmpty()) {
                throw ApiException.notFound("run_not_found", "Run not found");
            }
            throw sinkClosed();
        }
        if (id == null || timestamp == null || signature == null) {
            throw new ApiException(401, "missing_signature_headers", "Unauthorized", "webhook-id, webhook-timestamp and "
                    + "webhook-signature headers are required");
        }
        StandardWebhookSignature.Verdict v = run.signature.verify(id, timestamp, signature, body, clock.instant().getEpochSecond(),
                StandardWebhookSignature.DEFAULT_TOLERANCE_SECONDS);
        if (!v.ok()) {
            String code = switch (v) {
                case MISSING_HEADERS -> "missing_signature_headers";
                case INVALID_TIMESTAMP -> "invalid_timestamp";
                case TIMESTAMP_OUT_OF_TOLERANCE -> "timestamp_out_of_tolerance";
                default -> "invalid_signature";
            };
            throw new ApiException(401, code, "Unauthorized", "Run event signature rejected: " + v.reason);
        }
        return run;
    }

    /**
     * One CloudEvent from the runner, answered once it is committed: ordered by sequence under the run's lock, written
     * by the group-commit writer outside it. An event ahead of a gap waits for the gap (bounded), replays are dropped.
     */
    public ObjectNode ingest(ActiveRun run, JsonNode event) {
        return await(ingestLater(run, event));
    }

    /** {@link #ingest} without waiting: the answer completes on the writer's thread once the event is committed. */
    public CompletableFuture<ObjectNode> ingestLater(ActiveRun run, JsonNode event) {
        int seq = sequenceOf(event, "");
        return accept(run, List.of(event), new int[] {seq}).thenApply(outcomes -> {
            ObjectNode out = Json.object().put("ok", true).put("outcome", outcomes[0]);
            return "replay".equals(outcomes[0]) ? out : out.put("sequence", seq);
        });
    }

    /**
     * A batch of CloudEvents (the HTTP binding's batched mode), every element already checked: ordered and queued under
     * one hold of the run's lock, answered once each is committed (or, ahead of a gap, after the same bounded wait as a
     * single event) with the last element's outcome and one {@code {sequence, outcome}} per element, in request order.
     */
    public ObjectNode ingestBatch(ActiveRun run, List<JsonNode> events) {
        return await(ingestBatchLater(run, events));
    }

    /** {@link #ingestBatch} without waiting, as {@link #ingestLater}. */
    public CompletableFuture<ObjectNode> ingestBatchLater(ActiveRun run, List<JsonNode> events) {
        int[] seqs = new int[events.size()];
        for (int i = 0; i < seqs.length; i++) {
            seqs[i] = sequenceOf(events.get(i), "[" + i + "].");
        }
        return accept(run, events, seqs).thenApply(outcomes -> {
            int last = seqs.length - 1;
            ObjectNode out = Json.object().put("ok", true).put("outcome", outcomes[last]).put("sequence", seqs[last]);
            ArrayNode each = out.putArray("events");
            for (int i = 0; i < seqs.length; i++) {
                each.addObject().put("sequence", seqs[i]).put("outcome", outcomes[i]);
            }
            return out;
        });
    }

    /** Waits for an answer (callers off the HTTP path); its failure is thrown as the route would see it. */
    private static ObjectNode await(CompletableFuture<ObjectNode> answer) {
        try {
            return answer.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    /**
     * The event's sequence; a 400 naming {@code at + "type"} or {@code at + "sequence"} unless it is a CloudEvent with a
     * non-empty string type and a positive integer sequence (a fraction is refused, not truncated onto another event's).
     */
    static int sequenceOf(JsonNode event, String at) {
        JsonNode type = event.get("type");
        if (type == null || !type.isTextual() || type.asText().isEmpty()) {
            throw ApiException.validation(at + "type", "invalid_type", "A CloudEvent's type is a non-empty string");
        }
        JsonNode seqNode = event.get("sequence");
        if (seqNode == null || !seqNode.isIntegralNumber() || !seqNode.canConvertToInt() || seqNode.asInt() < 1) {
            throw ApiException.validation(at + "sequence", "invalid_type", "A CloudEvent with a type and a positive integer sequence is required");
        }
        return seqNode.asInt();
    }

    /**
     * Orders the events under the run's lock (in sequence order, one hand-off to the writer) and waits for their
     * commits: replays are dropped, events ahead of a gap are buffered. Nothing changes when the buffer would overflow.
     */
    private CompletableFuture<String[]> accept(ActiveRun run, List<JsonNode> events, int[] seqs) {
        Integer[] order = new Integer[seqs.length];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        Arrays.sort(order, Comparator.comparingInt(i -> seqs[i]));
        String[] outcomes = new String[seqs.length];
        boolean[] ahead = new boolean[seqs.length];
        boolean[] replay = new boolean[seqs.length];
        @SuppressWarnings("unchecked")
        CompletableFuture<Long>[] committed = new CompletableFuture[seqs.length];
        synchronized (run) {
            if (run.buffer.size() + newlyBuffered(run, seqs, order) > BUFFER_CAP) {
                throw new ApiException(429, "rate_limited", "Too Many Requests", "Too many out-of-order events buffered");
            }
            List<EventBatchWriter.Item> handoff = new ArrayList<>();
            for (int i : order) {
                int seq = seqs[i];
                if (seq <= run.lastSequence) {
                    // its first copy may still be on its way to the disk: answered once the run's last queued event is stored
                    replay[i] = true;
                    committed[i] = run.lastQueued;
                } else if (seq > run.lastSequence + 1) {
                    ahead[i] = true;
                    committed[i] = run.buffer.computeIfAbsent(seq, k -> new ActiveRun.Pending(events.get(i), new CompletableFuture<>()))
                            .committed();
                } else {
                    committed[i] = new CompletableFuture<>();
                    queue(run, seq, events.get(i), committed[i], handoff);
                    drain(run, false, handoff);
                }
            }
            writer.submitAll(handoff);
        }
        @SuppressWarnings("unchecked")
        CompletableFuture<String>[] each = new CompletableFuture[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            each[i] = outcome(committed[i], ahead[i], replay[i]);
        }
        if (each.length == 1) {
            return each[0].thenApply(o -> new String[] {o});
        }
        // the first failure in request order is the answer, as when the outcomes were awaited one by one
        return CompletableFuture.allOf(each).handle((ignored, error) -> {
            for (int i = 0; i < each.length; i++) {
                outcomes[i] = each[i].join();
            }
            return outcomes;
        });
    }

    /**
     * "persisted" (or "replay") once committed; an event ahead of a gap still open after the gap wait is "buffered"
     * (held in memory, written when the gap fills or at finalize); a commit not done within the commit wait is a 503.
     */
    private CompletableFuture<String> outcome(CompletableFuture<Long> committed, boolean ahead, boolean replay) {
        CompletableFuture<String> out = new CompletableFuture<>();
        committed.whenComplete((id, error) -> {
            if (error == null) {
                out.complete(replay ? "replay" : "persisted");
            } else {
                Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
                out.completeExceptionally(cause instanceof ApiException ? cause
                        : new IllegalStateException("Run event not stored: " + cause.getMessage(), cause));
            }
        });
        if (ahead) {
            gapWait.watch(out, () -> out.complete("buffered"));
        } else {
            commitWait.watch(out, () -> out.completeExceptionally(new ApiException(503, "write_pending", "Service Unavailable",
                    "The event is queued but not yet stored").header("Retry-After", "1")));
        }
        return out;
    }

    /** How many new gap-buffer entries {@link #accept} would add (caller holds the run's lock): once one element is ahead, so is every later one. */
    private static int newlyBuffered(ActiveRun run, int[] seqs, Integer[] order) {
        int last = run.lastSequence;
        int added = 0;
        int previous = -1;
        for (int i : order) {
            int seq = seqs[i];
            if (seq == last + 1) {
                last = seq;
                while (run.buffer.containsKey(last + 1)) {
                    last++;
                }
            } else if (seq > last + 1 && seq != previous && !run.buffer.containsKey(seq)) {
                added++;
            }
            previous = seq;
        }
        return added;
    }

    /** How the group commit is batching: what the fan-out benchmark reports as the batch size achieved. */
    public EventBatchWriter.Stats batchStats() {
        return writer.stats();
    }

    public void heartbeat(ActiveRun run) {
        repo.heartbeat(run.runId, Times.iso(clock.instant()));
    }

    /**
     * At the end of a run: queues whatever is still buffered, gaps and all, and returns the commit of the run's last
     * event. The caller holds the run's lock.
     */
    CompletableFuture<Long> flush(ActiveRun run) {
        List<EventBatchWriter.Item> handoff = new ArrayList<>();
        drain(run, true, handoff);
        writer.submitAll(handoff);
        return run.lastQueued;
    }

    /** Waits for a run's last queued event to be stored (or refused) before the run is closed. */
    static void awaitQuietly(CompletableFuture<Long> last) {
        try {
            last.get(COMMIT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // its sender was told; the run closes with what is stored
        }
    }

    private void drain(ActiveRun run, boolean allowGaps, List<EventBatchWriter.Item> handoff) {
        while (!run.buffer.isEmpty()) {
            int next = run.buffer.firstKey();
            if (next != run.lastSequence + 1 && !allowGaps) {
                return;
            }
            if (next != run.lastSequence + 1) {
                LOG.warn("Run flushed with sequence gap runId={} expected={} got={}", run.runId, run.lastSequence + 1, next);
            }
            ActiveRun.Pending p = run.buffer.remove(next);
            queue(run, next, p.event(), p.committed(), handoff);
        }
    }

    /** Adds one in-order event to what goes to the writer (caller holds the run's lock); the run's output and usage follow it. */
    private void queue(ActiveRun run, int seq, JsonNode event, CompletableFuture<Long> committed, List<EventBatchWriter.Item> handoff) {
        String type = event.get("type").asText();
        JsonNode data = event.path("data");
        RunRepository.NewLog log = EventMapping.toLog(type, data);
        JsonNode usage = null;
        Double cost = null;
        if ("appstrate.metric".equals(type)) {
            usage = data.get("usage");
            cost = data.hasNonNull("cost") ? data.get("cost").asDouble() : null;
            run.lastUsage = usage;
        } else if ("output.emitted".equals(type)) {
            run.lastOutput = data.has("data") ? data.get("data") : data;
        }
        // only transcript events carry a second row: the hot path stays one insert
        SqlWrite extra = type.startsWith("appstrate.transcript.")
                ? transcripts.forEvent(run.runId, seq, type, data) : null;
        run.lastSequence = seq;
        run.lastQueued = committed;
        handoff.add(new EventBatchWriter.Item(run, seq, log, usage, cost, Times.iso(clock.instant()), committed, extra));
    }

    private static ApiException sinkClosed() {
        return new ApiException(410, "run_sink_closed", "Gone", "The run's event sink is closed");
    }
}
