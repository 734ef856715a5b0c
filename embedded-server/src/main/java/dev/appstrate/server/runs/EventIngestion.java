package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.SinkSignature;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runner's signed events: verified, persisted in sequence order (out-of-order ones buffered until the gap
 * fills, replays dropped) and published. A run's ordering state is guarded by the run's own lock.
 */
public final class EventIngestion {
    private static final Logger LOG = LoggerFactory.getLogger(EventIngestion.class);
    private static final int BUFFER_CAP = 10_000;
    private final RunRepository repo;
    private final InFlightRuns inFlight;
    private final RunFeed feed;
    private final Clock clock;

    /** A runner request whose signature checked out. */
    public record Verified(ActiveRun run, String body) {
    }

    public EventIngestion(RunRepository repo, InFlightRuns inFlight, RunFeed feed, Clock clock) {
        this.repo = repo;
        this.inFlight = inFlight;
        this.feed = feed;
        this.clock = clock;
    }

    /** Verifies a runner request; throws the original's 401/404/410 problems. */
    public ActiveRun verify(String runId, String id, String timestamp, String signature, String body) {
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
        SinkSignature.Verdict v = run.signature.verify(id, timestamp, signature, body, clock.instant().getEpochSecond(),
                SinkSignature.DEFAULT_TOLERANCE_SECONDS);
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

    /** One CloudEvent from the runner: persisted in sequence order, buffered on gaps, replays dropped. */
    public ObjectNode ingest(ActiveRun run, JsonNode event) {
        JsonNode seqNode = event.get("sequence");
        if (!event.hasNonNull("type") || seqNode == null || !seqNode.canConvertToInt() || seqNode.asInt() < 1) {
            throw ApiException.validation("sequence", "invalid_type", "A CloudEvent with a type and a positive integer sequence is required");
        }
        int seq = seqNode.asInt();
        ObjectNode out = Json.object().put("ok", true);
        synchronized (run) {
            if (seq <= run.lastSequence) {
                return out.put("outcome", "replay");
            }
            if (seq > run.lastSequence + 1) {
                if (run.buffer.size() >= BUFFER_CAP) {
                    throw new ApiException(429, "rate_limited", "Too Many Requests", "Too many out-of-order events buffered");
                }
                run.buffer.put(seq, event);
                return out.put("outcome", "buffered").put("sequence", seq);
            }
            persist(run, seq, event);
            drain(run, false);
        }
        return out.put("outcome", "persisted").put("sequence", seq);
    }

    public void heartbeat(ActiveRun run) {
        repo.heartbeat(run.runId, Times.iso(clock.instant()));
    }

    /** At the end of a run: persists whatever is still buffered, gaps and all. The caller holds the run's lock. */
    void flush(ActiveRun run) {
        drain(run, true);
    }

    private void drain(ActiveRun run, boolean allowGaps) {
        while (!run.buffer.isEmpty()) {
            int next = run.buffer.firstKey();
            if (next != run.lastSequence + 1 && !allowGaps) {
                return;
            }
            if (next != run.lastSequence + 1) {
                LOG.warn("Run flushed with sequence gap runId={} expected={} got={}", run.runId, run.lastSequence + 1, next);
            }
            persist(run, next, run.buffer.remove(next));
        }
    }

    private void persist(ActiveRun run, int seq, JsonNode event) {
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
        String now = Times.iso(clock.instant());
        long logId = repo.persistEvent(run.runId, run.orgId, seq, now, log, usage, cost);
        if (logId < 0) {
            throw sinkClosed();
        }
        run.lastSequence = seq;
        if (!run.running) {
            run.running = true;
            repo.find(run.runId).filter(r -> RunStatus.RUNNING.equals(r.status())).ifPresent(r -> feed.publishUpdate(r, "UPDATE"));
        }
        if (logId > 0) {
            feed.publishLog(run, logId, log, now);
        }
        if (usage != null) {
            feed.publishMetric(run, usage, cost);
        }
    }

    private static ApiException sinkClosed() {
        return new ApiException(410, "run_sink_closed", "Gone", "The run's event sink is closed");
    }
}
