package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.LogLimits;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's end: the runner's RunResult (output checked against the agent's schema), or a status the server decides
 * (cancel, timeout, watchdog, crash, restart). All of them race for the one terminal compare-and-set in the store.
 */
public final class RunFinalizer {
    private static final Logger LOG = LoggerFactory.getLogger(RunFinalizer.class);
    static final Duration STOP_GRACE = Duration.ofSeconds(5);
    static final String CANCELLED_BY_USER = "Cancelled by user";
    static final String NO_LLM = "The AI agent could not reach the LLM API — check that the API key is valid and the provider "
            + "is accessible";
    private final RunRepository repo;
    private final InFlightRuns inFlight;
    private final EventIngestion ingestion;
    private final RunFeed feed;
    private final RunAdapter adapter;
    private final SchemaCheck schemaCheck;
    private final Clock clock;

    public RunFinalizer(RunRepository repo, InFlightRuns inFlight, EventIngestion ingestion, RunFeed feed, RunAdapter adapter,
                        SchemaCheck schemaCheck, Clock clock) {
        this.repo = repo;
        this.inFlight = inFlight;
        this.ingestion = ingestion;
        this.feed = feed;
        this.adapter = adapter;
        this.schemaCheck = schemaCheck;
        this.clock = clock;
    }

    /** The runner's RunResult. Idempotent: a second finalize changes nothing. */
    public void finalizeFromRunner(ActiveRun run, JsonNode result) {
        String status = result.path("status").asText("");
        if (!Set.of(RunStatus.SUCCESS, RunStatus.FAILED, RunStatus.TIMEOUT).contains(status)) {
            status = result.hasNonNull("error") ? RunStatus.FAILED : RunStatus.SUCCESS;
        }
        // the run row keeps the error as a log row keeps a message: 32 KB at most, the cut said
        String error = LogLimits.message(result.path("error").path("message").asText(null));
        JsonNode output;
        JsonNode usage;
        CompletableFuture<Long> last;
        synchronized (run) {
            // late out-of-order events first: the output or usage may travel in one of them
            last = ingestion.flush(run);
            output = result.hasNonNull("output") ? result.get("output") : run.lastOutput;
            usage = result.hasNonNull("usage") ? result.get("usage") : run.lastUsage;
        }
        EventIngestion.awaitQuietly(last);
        if (RunStatus.SUCCESS.equals(status) && run.outputSchema != null) {
            List<String> problems = schemaCheck.validate(run.outputSchema, output == null || output.isNull() ? Json.object() : output);
            if (!problems.isEmpty()) {
                status = RunStatus.FAILED;
                error = output == null || output.isNull()
                        ? "Agent finished without calling the required `output` tool. The run produced no structured output."
                        : "Output validation failed: " + String.join("; ", problems);
                feed.log(run, new RunRepository.NewLog("system", "error", "output_validation", error, Json.object()
                        .set("errors", Json.MAPPER.valueToTree(problems))));
            }
        }
        if (RunStatus.SUCCESS.equals(status) && usage != null && usage.path("input_tokens").asLong(0) == 0
                && usage.path("output_tokens").asLong(0) == 0) {
            status = RunStatus.FAILED;
            error = NO_LLM;
        }
        complete(run, status, output, error, usage, result.hasNonNull("cost") ? result.get("cost").asDouble() : null, null);
    }

    /** A terminal status decided by the server (cancel, timeout, watchdog, crash, restart); false if the run had ended. */
    public boolean finalizeInternal(String runId, String status, String error) {
        return finalizeInternal(runId, status, error, null);
    }

    /** The same, the run ending at {@code endedAt} (null: now), e.g. when the server last knew it alive. */
    boolean finalizeInternal(String runId, String status, String error, Instant endedAt) {
        ActiveRun run = inFlight.get(runId);
        if (run == null) {
            RunRecord r = repo.find(runId).orElse(null);
            if (r == null || r.timing().sinkClosedAt() != null) {
                return false;
            }
            run = ActiveRun.detached(r.id(), r.scope().orgId(), r.scope().applicationId(), r.scope().packageId());
        }
        JsonNode output;
        JsonNode usage;
        synchronized (run) {
            output = run.lastOutput;
            usage = run.lastUsage;
        }
        return complete(run, status, output, error, usage, null, endedAt);
    }

    /** The user's cancel: stops the runner, then records the run as cancelled. */
    public RunRecord cancel(String runId) {
        RunRecord r = repo.find(runId).orElseThrow(() -> ApiException.notFound("Run not found"));
        if (!r.active()) {
            throw ApiException.conflict("not_cancellable", "Run is not active (status: " + r.status() + ")");
        }
        adapter.stop(runId, STOP_GRACE);
        if (!inFlight.isActive(runId)) {
            inFlight.ownership().requestStop(runId); // its runner is another instance's
        }
        finalizeInternal(runId, RunStatus.CANCELLED, CANCELLED_BY_USER);
        return repo.find(runId).orElseThrow();
    }

    /** Another instance recorded a cancel of a run this instance executes: stop its runner and let it go. */
    public void stopCancelledElsewhere(String runId) {
        if (inFlight.isActive(runId)) {
            adapter.stop(runId, STOP_GRACE);
            finalizeInternal(runId, RunStatus.CANCELLED, CANCELLED_BY_USER);
        }
    }

    private boolean complete(ActiveRun run, String status, JsonNode rawOutput, String rawError, JsonNode usage, Double cost,
                             Instant endedAt) {
        // the runner does not know the server's secrets: its error and output are masked as its log lines are
        // (EventMapping), so the run's last log rows and its row show no stored secret that an upstream quoted back
        JsonNode output = Redactor.global().redact(rawOutput);
        String error = Redactor.global().redact(rawError);
        Instant end = endedAt != null ? endedAt : clock.instant();
        String now = Times.iso(end);
        long durationMs = repo.find(run.runId).map(r -> end.toEpochMilli() - Times.parse(r.timing().startedAt()).toEpochMilli())
                .orElse(0L);
        boolean won = repo.finalizeRun(run.runId, status, output, error, usage, cost, now, Math.max(0, durationMs));
        inFlight.remove(run.runId);
        if (run.safetyNet != null) {
            run.safetyNet.cancel(false);
        }
        if (!won) {
            return false;
        }
        if (RunStatus.SUCCESS.equals(status)) {
            feed.log(run, new RunRepository.NewLog("result", "info", "result", "Run succeeded",
                    Json.object().set("output", output == null ? Json.MAPPER.nullNode() : output)));
        }
        // a cancel is the user's own act, not a failure: its line is info, as a success's (an error filter does not list it)
        String level = RunStatus.SUCCESS.equals(status) || RunStatus.CANCELLED.equals(status) ? "info" : "error";
        feed.log(run, new RunRepository.NewLog("system", level, "run_completed",
                "Run " + status + (error == null ? "" : ": " + error), RunPayloads.completed(run.runId, status, error)));
        repo.find(run.runId).ifPresent(r -> feed.statusChanged(r, "UPDATE"));
        LOG.info("Run finished runId={} status={}", run.runId, status);
        return true;
    }
}
