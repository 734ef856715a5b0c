package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.SinkSignature;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.FixedWindowRateLimiter;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.models.ModelRegistry;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.runs.adapter.RunAdapter;
import dev.appstrate.server.runs.adapter.RunLaunch;
import dev.appstrate.server.runs.adapter.RunStartException;
import dev.appstrate.server.secrets.CredentialInjector;
import dev.appstrate.server.secrets.ResolvedConnection;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.secrets.SecretException;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The run pipeline: admission, launch through the adapter, ordered event ingestion, and the one
 * terminal compare-and-set that runner, timeout, cancel and watchdog race for.
 */
public final class RunService {
    private static final Logger LOG = LoggerFactory.getLogger(RunService.class);
    static final String RESTARTED = "Server restarted while run was in progress. Please retry.";
    static final String STALLED = "Runner stopped reporting — no heartbeat for %ds. The runner process may have crashed or lost "
            + "network connectivity.";
    static final String NO_LLM = "The AI agent could not reach the LLM API — check that the API key is valid and the provider "
            + "is accessible";
    private static final int BUFFER_CAP = 10_000;
    /** How long an event waits for its commit, and an event ahead of a gap for the gap to fill. */
    private static final long COMMIT_WAIT_MS = 30_000;
    private static final long GAP_WAIT_MS = 5_000;
    private static final Pattern RESERVED_ENV = Pattern.compile(
            "^(AGENT_|MODEL_|APPSTRATE_|OUTPUT_SCHEMA$|WORKSPACE_DIR$|HEARTBEAT_|PATH$|HOME$|TMPDIR$|LANG$|JAVA_|LD_|_JAVA)");
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);

    private final RunRepository repo;
    private final RunEventBus bus;
    private final RunAdapter adapter;
    private final ModelRegistry models;
    private final FixedWindowRateLimiter limiter;
    private final RunLimits limits;
    private final Clock clock;
    private final ExecutorService launcher;
    private final ScheduledExecutorService timers;
    private final Path runsDir;
    private final String serverUrl;
    private final SchemaCheck schemaCheck;
    private final int heartbeatSeconds;
    private final RunConnections runConnections;
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final List<Consumer<RunRecord>> statusListeners = new CopyOnWriteArrayList<>();
    private volatile RunnerEventStore transcriptStore;
    private final SecureRandom random = new SecureRandom();
    private final EventBatchWriter writer;

    /** A runner request whose signature checked out. */
    public record Verified(ActiveRun run, String body) {
    }

    /** Who asked for the run and with what. */
    public record StartRequest(String orgId, String applicationId, AgentPackage agent, JsonNode input, String modelId,
                               String userId, String apiKeyId, String endUserId, String scheduleId) {
    }

    public RunService(RunRepository repo, RunEventBus bus, RunAdapter adapter, ModelRegistry models, FixedWindowRateLimiter limiter,
                      RunLimits limits, Clock clock, ExecutorService launcher, ScheduledExecutorService timers, Path runsDir,
                      String serverUrl, SchemaCheck schemaCheck, int heartbeatSeconds, RunConnections runConnections) {
        this.repo = repo;
        this.bus = bus;
        this.adapter = adapter;
        this.models = models;
        this.limiter = limiter;
        this.limits = limits;
        this.clock = clock;
        this.launcher = launcher;
        this.timers = timers;
        this.runsDir = runsDir;
        this.serverUrl = serverUrl;
        this.schemaCheck = schemaCheck;
        this.heartbeatSeconds = heartbeatSeconds;
        this.runConnections = runConnections;
        this.writer = new EventBatchWriter(repo, bus, this::onFirstEvent);
    }

    /** Called with the run after every status change (started and terminal): webhooks listen here. */
    public void onStatusChange(Consumer<RunRecord> listener) {
        statusListeners.add(listener);
    }

    /** Stores each {@code appstrate.transcript.*} event with it, in the event's own transaction (only those: the hot path stays as is). */
    public void storeTranscriptEvents(RunnerEventStore store) {
        this.transcriptStore = store;
    }

    public RunRepository repository() {
        return repo;
    }

    public RunAdapter adapter() {
        return adapter;
    }

    public boolean isActive(String runId) {
        return active.containsKey(runId);
    }

    ActiveRun activeRun(String runId) {
        return active.get(runId);
    }

    public Set<String> activeRunIds() {
        return Set.copyOf(active.keySet());
    }

    /** Pending or running runs of one agent in one application (in memory: agent lists ask on every request). */
    public int activeCount(String applicationId, String packageId) {
        int n = 0;
        for (ActiveRun r : active.values()) {
            if (r.applicationId.equals(applicationId) && packageId.equals(r.packageId)) {
                n++;
            }
        }
        return n;
    }

    // ---- admission and launch

    public RunRecord start(StartRequest req) {
        AgentPackage agent = req.agent();
        JsonNode manifest = agent.manifest();
        JsonNode input = req.input() == null || req.input().isNull() ? Json.object() : req.input();
        JsonNode inputSchema = manifest.path("input").path("schema");
        if (inputSchema.isObject() && inputSchema.size() > 0) {
            List<String> problems = schemaCheck.validate(inputSchema, input);
            if (!problems.isEmpty()) {
                List<ApiException.FieldError> errors = new ArrayList<>();
                for (String p : problems) {
                    int colon = p.indexOf(": ");
                    String field = colon > 0 ? p.substring(0, colon) : "input";
                    errors.add(new ApiException.FieldError(field.startsWith("input") ? field : "input." + field, "invalid_input",
                            colon > 0 ? p.substring(colon + 2) : p));
                }
                throw ApiException.validation(errors);
            }
        }
        ResolvedModel model = models.resolve(req.orgId(), req.modelId());
        // a connection the agent needs and that is missing fails the run before it exists (412, naming it)
        List<ResolvedConnection> connections = openConnections(req, manifest);
        FixedWindowRateLimiter.Outcome rate = limiter.hit("org-run:" + req.orgId(), limits.perOrgGlobalRatePerMin(), 60);
        if (!rate.allowed()) {
            throw new ApiException(429, "org_run_rate_limited", "Too Many Requests", "Organization rate limit reached ("
                    + limits.perOrgGlobalRatePerMin() + "/min). Retry in " + rate.resetSeconds() + "s.");
        }
        int timeout = timeoutOf(manifest);
        String now = Times.iso(clock.instant());
        String runId = Ids.prefixed("run");
        RunRecord pending = new RunRecord(runId, req.orgId(), req.applicationId(), agent.id(), agent.version(), 0,
                RunStatus.PENDING, input, null, null, req.userId(), req.endUserId(), req.apiKeyId(), req.scheduleId(),
                model.label(), model.source().startsWith("system") ? "system" : "org", null, null, timeout, adapter.name(), 0,
                now, null, now, null, null);
        ActiveRun run = new ActiveRun(runId, req.orgId(), req.applicationId(), agent.id(), secret(), "sk-appstrate-run-" + hex(24),
                model, outputSchemaOf(manifest));
        run.connections = connections;
        run.runToken = runId + "." + hex(32);
        active.put(runId, run);
        if (!repo.insertIfUnderCap(pending, limits.maxConcurrentPerOrg())) {
            active.remove(runId);
            throw new ApiException(429, "org_run_concurrency_exceeded", "Too Many Requests", "Organization concurrency limit "
                    + "reached (" + limits.maxConcurrentPerOrg() + " concurrent runs). Wait for a run to finish.");
        }
        RunRecord created = repo.find(runId).orElseThrow();
        publishUpdate(created, "INSERT");
        log(run, new RunRepository.NewLog("progress", "info", "progress", "run created · starting runner",
                Json.object().put("platform", true)));
        launcher.execute(() -> launch(run, agent, input, timeout));
        return created;
    }

    /** The declared integrations' connections, opened for this run's memory only (never env, files, rows or logs). */
    private List<ResolvedConnection> openConnections(StartRequest req, JsonNode manifest) {
        if (runConnections == null) {
            return List.of();
        }
        List<RunConnections.Choice> choices = runConnections.resolve(req.orgId(), req.applicationId(), req.endUserId(), manifest)
                .orThrow();
        try {
            return List.copyOf(runConnections.open(choices));
        } catch (SecretException e) {
            throw new ApiException(500, "connection_unreadable", "Internal Server Error", "A connection this agent needs cannot "
                    + "be decrypted: " + e.getMessage());
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw new ApiException(412, "missing_integration_connection", "Precondition Failed",
                    "The agent needs integration connections that are missing: " + e.getMessage());
        }
    }

    /** A run that could not start (e.g. a scheduled fire with no model): recorded as failed, as the original does. */
    public RunRecord recordFailedStart(StartRequest req, String message) {
        String now = Times.iso(clock.instant());
        String runId = Ids.prefixed("run");
        RunRecord failed = new RunRecord(runId, req.orgId(), req.applicationId(), req.agent() == null ? null : req.agent().id(),
                req.agent() == null ? null : req.agent().version(), 0, RunStatus.FAILED, req.input(), null, message, req.userId(),
                req.endUserId(), req.apiKeyId(), req.scheduleId(), null, null, null, null, 0, adapter.name(), 0, now, now, now,
                now, 0L);
        repo.insertIfUnderCap(failed, 0);
        RunRecord r = repo.find(runId).orElseThrow();
        publishUpdate(r, "INSERT");
        notifyListeners(r);
        return r;
    }

    private void launch(ActiveRun run, AgentPackage agent, JsonNode input, int timeout) {
        try {
            Path runDir = runsDir.resolve(run.runId);
            Files.createDirectories(runDir);
            Map<String, String> env = runnerEnv(run, agent, input, timeout);
            long memory = Math.min(limits.agentMemoryCeilingMb(), agent.manifest().path("_meta").path("dev.appstrate/resources")
                    .path("memory_mb").asLong(limits.agentMemoryCeilingMb()));
            double cpus = Math.min(limits.agentCpuCeiling(), agent.manifest().path("_meta").path("dev.appstrate/resources")
                    .path("cpu").asDouble(limits.agentCpuCeiling()));
            adapter.start(new RunLaunch(run.runId, runDir, env, timeout, memory, cpus, code -> onWorkloadExit(run.runId, code)));
            // platform safety net: the runner enforces its own timeout; this catches a runner that cannot
            run.safetyNet = timers.schedule(() -> timeoutRun(run.runId, timeout), timeout + 30L, TimeUnit.SECONDS);
            if (repo.markRunning(run.runId, Times.iso(clock.instant()))) {
                repo.find(run.runId).ifPresent(r -> {
                    publishUpdate(r, "UPDATE");
                    notifyListeners(r);
                });
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
            finalizeInternal(runId, RunStatus.FAILED, message);
        } catch (dev.appstrate.server.store.StoreException e) {
            // the server is stopping and the database is closed: the next boot fails this run as interrupted
            LOG.info("Run launch abandoned at shutdown runId={}", runId);
        }
    }

    private Map<String, String> runnerEnv(ActiveRun run, AgentPackage agent, JsonNode input, int timeout) {
        Map<String, String> env = new HashMap<>();
        String sink = serverUrl + "/api/runs/" + run.runId + "/events";
        env.put("AGENT_RUN_ID", run.runId);
        env.put("AGENT_PROMPT", PromptRenderer.render(agent, input, run.outputSchema, run.connections));
        env.put("AGENT_INPUT", Json.string(input));
        env.put("MODEL_API", run.model.apiShape());
        env.put("MODEL_ID", run.model.modelId());
        // the runner talks to the server's LLM sidecar with a placeholder; the real key never leaves the server
        env.put("MODEL_BASE_URL", serverUrl + "/internal/llm/" + run.runId + "/v1");
        env.put("MODEL_API_KEY", run.llmToken);
        // stream like the original, so the first tokens and tool calls reach the run as soon as the provider sends them
        env.put("MODEL_STREAM", "true");
        if (run.model.cost() != null && !run.model.cost().isNull()) {
            env.put("MODEL_COST", Json.string(run.model.cost()));
        }
        env.put("AGENT_TIMEOUT_SECONDS", String.valueOf(timeout));
        if (run.outputSchema != null) {
            env.put("OUTPUT_SCHEMA", Json.string(run.outputSchema));
        }
        env.put("APPSTRATE_SINK_URL", sink);
        env.put("APPSTRATE_SINK_FINALIZE_URL", sink + "/finalize");
        env.put("APPSTRATE_SINK_HEARTBEAT_URL", sink + "/heartbeat");
        env.put("APPSTRATE_SINK_SECRET", run.sinkSecret);
        env.put("WORKSPACE_DIR", runsDir.resolve(run.runId).resolve("workspace").toString());
        env.put("HEARTBEAT_INTERVAL_SECONDS", String.valueOf(heartbeatSeconds));
        if (!run.connections.isEmpty()) {
            // the agent reaches its integrations through the server's credential proxy; it holds only the run token
            env.put("APPSTRATE_CREDENTIAL_PROXY_URL", serverUrl + CredentialProxy.PATH);
            env.put("APPSTRATE_RUN_TOKEN", run.runToken);
            for (ResolvedConnection c : run.connections) {
                // env delivery only where the integration declares it; never over the runner's own contract
                CredentialInjector.envDelivery(c).forEach((name, value) -> {
                    if (env.containsKey(name) || RESERVED_ENV.matcher(name).find()) {
                        LOG.warn("Integration env var skipped runId={} integration={} var={}: reserved name", run.runId,
                                c.packageId(), name);
                    } else {
                        env.put(name, value);
                    }
                });
            }
        }
        return env;
    }

    private String secret() {
        byte[] b = new byte[32];
        random.nextBytes(b);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    private String hex(int bytes) {
        byte[] b = new byte[bytes];
        random.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    int timeoutOf(JsonNode manifest) {
        JsonNode t = manifest.get("timeout");
        int seconds = t != null && t.isNumber() && t.asDouble() > 0 ? (int) Math.ceil(t.asDouble()) : RunLimits.DEFAULT_RUN_TIMEOUT_SECONDS;
        return Math.min(seconds, limits.timeoutCeilingSeconds());
    }

    static JsonNode outputSchemaOf(JsonNode manifest) {
        JsonNode s = manifest.path("output").path("schema");
        return s.isObject() && s.size() > 0 ? s : null;
    }

    // ---- the LLM sidecar's view

    /** The real model for this run if the token is the run's placeholder; empty otherwise. */
    public Optional<ResolvedModel> modelForToken(String runId, String token) {
        ActiveRun run = active.get(runId);
        if (run == null || token == null || !java.security.MessageDigest.isEqual(run.llmToken.getBytes(), token.getBytes())) {
            return Optional.empty();
        }
        return Optional.of(run.model);
    }

    /** The active run a credential-proxy token ({@code <runId>.<hex>}) belongs to; empty for anything else. */
    public Optional<ActiveRun> runForToken(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        ActiveRun run = active.get(token.substring(0, dot));
        if (run == null || run.runToken == null || !MessageDigest.isEqual(run.runToken.getBytes(), token.getBytes())) {
            return Optional.empty();
        }
        return Optional.of(run);
    }

    // ---- ingestion

    /** Verifies a runner request; throws the original's 401/404/410 problems. */
    public ActiveRun verify(String runId, String id, String timestamp, String signature, String body) {
        ActiveRun run = active.get(runId);
        if (run == null) {
            if (repo.find(runId).isEmpty()) {
                throw ApiException.notFound("run_not_found", "Run not found");
            }
            throw new ApiException(410, "run_sink_closed", "Gone", "The run's event sink is closed");
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

    /**
     * One CloudEvent from the runner, answered once it is committed: ordered by sequence under the run's lock, written
     * by the group-commit writer outside it. An event ahead of a gap waits for the gap (bounded), replays are dropped.
     */
    public ObjectNode ingest(ActiveRun run, JsonNode event) {
        JsonNode seqNode = event.get("sequence");
        if (!event.hasNonNull("type") || seqNode == null || !seqNode.canConvertToInt() || seqNode.asInt() < 1) {
            throw ApiException.validation("sequence", "invalid_type", "A CloudEvent with a type and a positive integer sequence is required");
        }
        int seq = seqNode.asInt();
        ObjectNode out = Json.object().put("ok", true);
        CompletableFuture<Long> committed;
        boolean ahead;
        synchronized (run) {
            if (seq <= run.lastSequence) {
                return out.put("outcome", "replay");
            }
            ahead = seq > run.lastSequence + 1;
            if (ahead) {
                ActiveRun.Pending waiting = run.buffer.get(seq);
                if (waiting == null) {
                    if (run.buffer.size() >= BUFFER_CAP) {
                        throw new ApiException(429, "rate_limited", "Too Many Requests", "Too many out-of-order events buffered");
                    }
                    waiting = new ActiveRun.Pending(event, new CompletableFuture<>());
                    run.buffer.put(seq, waiting);
                }
                committed = waiting.committed();
            } else {
                committed = new CompletableFuture<>();
                queue(run, seq, event, committed);
                drain(run, false);
            }
        }
        try {
            committed.get(ahead ? GAP_WAIT_MS : COMMIT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            if (ahead) {
                // the gap is still open: held in memory as before, written when the gap fills or at finalize
                return out.put("outcome", "buffered").put("sequence", seq);
            }
            throw new ApiException(503, "write_pending", "Service Unavailable", "The event is queued but not yet stored")
                    .header("Retry-After", "1");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ApiException a) {
                throw a;
            }
            throw new IllegalStateException("Run event not stored: " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(503, "shutting_down", "Service Unavailable", "Server is shutting down");
        }
        return out.put("outcome", "persisted").put("sequence", seq);
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
            ActiveRun.Pending p = run.buffer.remove(next);
            queue(run, next, p.event(), p.committed());
        }
    }

    /** Hands one in-order event to the writer (caller holds the run's lock). */
    private void queue(ActiveRun run, int seq, JsonNode event, CompletableFuture<Long> committed) {
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
        RunnerEventStore store = transcriptStore;
        RunnerEventStore.EventWrite extra = store != null && type.startsWith("appstrate.transcript.")
                ? store.forEvent(run.runId, seq, type, data) : null;
        run.lastSequence = seq;
        run.lastQueued = committed;
        writer.submit(new EventBatchWriter.Item(run, seq, log, usage, cost, Times.iso(clock.instant()), committed, extra));
    }

    private void onFirstEvent(ActiveRun run) {
        repo.find(run.runId).filter(r -> RunStatus.RUNNING.equals(r.status())).ifPresent(r -> publishUpdate(r, "UPDATE"));
    }

    public void heartbeat(ActiveRun run) {
        repo.heartbeat(run.runId, Times.iso(clock.instant()));
    }

    private void log(ActiveRun run, RunRepository.NewLog log) {
        // through the writer: every log reaches the streams in id order
        CompletableFuture<Long> done = new CompletableFuture<>();
        writer.submit(new EventBatchWriter.Item(run, 0, log, null, null, Times.iso(clock.instant()), done, null));
        try {
            done.join();
        } catch (java.util.concurrent.CompletionException e) {
            LOG.warn("Run log not stored runId={} event={} error={}", run.runId, log.event(), e.getCause().toString());
        }
    }

    // ---- terminal states

    /** The runner's RunResult. Idempotent: a second finalize changes nothing. */
    public void finalizeFromRunner(ActiveRun run, JsonNode result) {
        String status = result.path("status").asText("");
        if (!Set.of(RunStatus.SUCCESS, RunStatus.FAILED, RunStatus.TIMEOUT).contains(status)) {
            status = result.hasNonNull("error") ? RunStatus.FAILED : RunStatus.SUCCESS;
        }
        String error = result.path("error").path("message").asText(null);
        JsonNode output = result.hasNonNull("output") ? result.get("output") : run.lastOutput;
        JsonNode usage = result.hasNonNull("usage") ? result.get("usage") : run.lastUsage;
        CompletableFuture<Long> last;
        synchronized (run) {
            drain(run, true);
            last = run.lastQueued;
        }
        awaitQuietly(last);
        if (RunStatus.SUCCESS.equals(status) && run.outputSchema != null) {
            List<String> problems = schemaCheck.validate(run.outputSchema, output == null || output.isNull() ? Json.object() : output);
            if (!problems.isEmpty()) {
                status = RunStatus.FAILED;
                error = output == null || output.isNull()
                        ? "Agent finished without calling the required `output` tool. The run produced no structured output."
                        : "Output validation failed: " + String.join("; ", problems);
                log(run, new RunRepository.NewLog("system", "error", "output_validation", error, Json.object()
                        .set("errors", Json.MAPPER.valueToTree(problems))));
            }
        }
        if (RunStatus.SUCCESS.equals(status) && usage != null && usage.path("input_tokens").asLong(0) == 0
                && usage.path("output_tokens").asLong(0) == 0) {
            status = RunStatus.FAILED;
            error = NO_LLM;
        }
        complete(run, status, output, error, usage, result.hasNonNull("cost") ? result.get("cost").asDouble() : null);
    }

    /** Waits for the run's last queued event to be stored (or refused) before the run is closed. */
    private static void awaitQuietly(CompletableFuture<Long> last) {
        try {
            last.get(COMMIT_WAIT_MS, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            // its sender was told; the run closes with what is stored
        }
    }

    /** A terminal status decided by the server (cancel, timeout, watchdog, crash, restart). */
    public boolean finalizeInternal(String runId, String status, String error) {
        ActiveRun run = active.get(runId);
        if (run == null) {
            RunRecord r = repo.find(runId).orElse(null);
            if (r == null || r.sinkClosedAt() != null) {
                return false;
            }
            run = new ActiveRun(runId, r.orgId(), r.applicationId(), r.packageId(), secret(), "", null, null);
        }
        return complete(run, status, run.lastOutput, error, run.lastUsage, null);
    }

    private boolean complete(ActiveRun run, String status, JsonNode output, String error, JsonNode usage, Double cost) {
        String now = Times.iso(clock.instant());
        long durationMs = repo.find(run.runId).map(r -> clock.millis() - Times.parse(r.startedAt()).toEpochMilli()).orElse(0L);
        boolean won = repo.finalizeRun(run.runId, status, output, error, usage, cost, now, Math.max(0, durationMs));
        active.remove(run.runId);
        if (run.safetyNet != null) {
            run.safetyNet.cancel(false);
        }
        if (!won) {
            return false;
        }
        if (RunStatus.SUCCESS.equals(status)) {
            log(run, new RunRepository.NewLog("result", "info", "result", "Run succeeded",
                    Json.object().set("output", output == null ? Json.MAPPER.nullNode() : output)));
        }
        ObjectNode data = Json.object().put("runId", run.runId).put("status", status);
        if (error != null) {
            data.put("error", error);
        }
        log(run, new RunRepository.NewLog("system", RunStatus.SUCCESS.equals(status) ? "info" : "error", "run_completed",
                "Run " + status + (error == null ? "" : ": " + error), data));
        repo.find(run.runId).ifPresent(r -> {
            publishUpdate(r, "UPDATE");
            notifyListeners(r);
        });
        LOG.info("Run finished runId={} status={}", run.runId, status);
        return true;
    }

    public RunRecord cancel(String runId) {
        RunRecord r = repo.find(runId).orElseThrow(() -> ApiException.notFound("Run not found"));
        if (!r.active()) {
            throw ApiException.conflict("not_cancellable", "Run is not active (status: " + r.status() + ")");
        }
        adapter.stop(runId, STOP_GRACE);
        finalizeInternal(runId, RunStatus.CANCELLED, "Cancelled by user");
        return repo.find(runId).orElseThrow();
    }

    private void timeoutRun(String runId, int timeout) {
        if (active.containsKey(runId)) {
            adapter.stop(runId, STOP_GRACE);
            finalizeInternal(runId, RunStatus.TIMEOUT, "Run timed out after " + timeout + "s");
        }
    }

    private void onWorkloadExit(String runId, int code) {
        if (!active.containsKey(runId)) {
            return;
        }
        // give a finalize that is still in flight a moment to land before calling the exit a crash
        timers.schedule(() -> {
            if (active.containsKey(runId)) {
                finalizeInternal(runId, RunStatus.FAILED, "The agent runner exited with code " + code
                        + " before reporting a result" + RunnerOutput.tail(runsDir.resolve(runId)));
            }
        }, 3, TimeUnit.SECONDS);
    }

    /** Fails runs whose runner went silent; the watchdog calls this on a timer. */
    public int failStalled(Duration threshold) {
        String before = Times.iso(clock.instant().minus(threshold));
        int n = 0;
        for (RunRecord r : repo.stalled(before)) {
            adapter.stop(r.id(), STOP_GRACE);
            if (finalizeInternal(r.id(), RunStatus.FAILED, String.format(STALLED, threshold.toSeconds()))) {
                n++;
            }
        }
        if (n > 0) {
            LOG.warn("Run watchdog finalized stalled runs count={} stallThresholdSeconds={}", n, threshold.toSeconds());
        }
        return n;
    }

    /** At boot: runs a crash left active are failed and their runners killed. */
    public int recoverAtBoot() {
        List<RunRecord> orphans = repo.active();
        for (RunRecord r : orphans) {
            adapter.stop(r.id(), STOP_GRACE);
            finalizeInternal(r.id(), RunStatus.FAILED, RESTARTED);
        }
        int leftovers = adapter.cleanupOrphans(Set.of());
        if (!orphans.isEmpty() || leftovers > 0) {
            LOG.warn("Finalized orphaned runs count={} killedRunners={}", orphans.size(), leftovers);
        }
        return orphans.size();
    }

    /** Stops every run in flight (server shutdown): they are failed at the next boot if they cannot finish. */
    public void stopAll() {
        for (String runId : activeRunIds()) {
            adapter.stop(runId, STOP_GRACE);
        }
        writer.close();
    }

    private void publishUpdate(RunRecord r, String operation) {
        ObjectNode n = Json.object();
        n.put("operation", operation);
        n.put("id", r.id());
        n.put("packageId", r.packageId());
        n.put("status", r.status());
        n.put("userId", r.userId());
        n.put("endUserId", r.endUserId());
        n.put("orgId", r.orgId());
        n.put("applicationId", r.applicationId());
        n.put("scheduleId", r.scheduleId());
        n.put("error", r.error() == null ? null : r.error().substring(0, Math.min(2000, r.error().length())));
        n.put("startedAt", r.startedAt());
        n.put("completedAt", r.completedAt());
        if (r.duration() == null) {
            n.putNull("duration");
        } else {
            n.put("duration", r.duration());
        }
        bus.publish(new RunEvent(RunEvent.RUN_UPDATE, r.applicationId(), r.id(), 0, n));
    }

    private void notifyListeners(RunRecord r) {
        for (Consumer<RunRecord> l : statusListeners) {
            try {
                l.accept(r);
            } catch (RuntimeException e) {
                LOG.warn("Run status listener failed runId={} error={}", r.id(), e.toString());
            }
        }
    }
}
