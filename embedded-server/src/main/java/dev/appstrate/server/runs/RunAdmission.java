package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.config.RunLimits;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.RateLimiter;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.models.ModelRegistry;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.packages.AgentPackage;
import dev.appstrate.server.secrets.ResolvedConnection;
import dev.appstrate.server.secrets.RunConnections;
import dev.appstrate.server.secrets.SecretException;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Times;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;

/**
 * A run's admission and launch: input checked against the agent's schema, model and connections resolved, the org's
 * rate and concurrency limits applied, the pending row written; then {@link RunLauncher} starts the runner in the
 * background (the request answers 201 at once).
 */
public final class RunAdmission {
    private final RunRepository repo;
    private final InFlightRuns inFlight;
    private final RunFeed feed;
    private final ModelRegistry models;
    private final RunConnections runConnections;
    private final RateLimiter limiter;
    private final RunLimits limits;
    private final SchemaCheck schemaCheck;
    private final RunLauncher launcher;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    /** Who asked for the run and with what. */
    public record StartRequest(String orgId, String applicationId, AgentPackage agent, JsonNode input, String modelId,
                               String userId, String apiKeyId, String endUserId, String scheduleId) {
    }

    public RunAdmission(RunRepository repo, InFlightRuns inFlight, RunFeed feed, ModelRegistry models, RunConnections runConnections,
                        RateLimiter limiter, RunLimits limits, SchemaCheck schemaCheck, RunLauncher launcher,
                        Clock clock) {
        this.repo = repo;
        this.inFlight = inFlight;
        this.feed = feed;
        this.models = models;
        this.runConnections = runConnections;
        this.limiter = limiter;
        this.limits = limits;
        this.schemaCheck = schemaCheck;
        this.launcher = launcher;
        this.clock = clock;
    }

    public RunRecord start(StartRequest req) {
        AgentPackage agent = req.agent();
        JsonNode manifest = agent.manifest();
        JsonNode input = req.input() == null || req.input().isNull() ? Json.object() : req.input();
        checkInput(manifest, input);
        ResolvedModel model = models.resolve(req.orgId(), req.modelId());
        // a connection the agent needs and that is missing fails the run before it exists (412, naming it)
        List<ResolvedConnection> connections = openConnections(req, manifest);
        RateLimiter.Outcome rate = limiter.hit("org-run:" + req.orgId(), limits.perOrgGlobalRatePerMin(), 60);
        if (!rate.allowed()) {
            throw new ApiException(429, "org_run_rate_limited", "Too Many Requests", "Organization rate limit reached ("
                    + limits.perOrgGlobalRatePerMin() + "/min). Retry in " + rate.resetSeconds() + "s.");
        }
        int timeout = timeoutOf(manifest);
        String now = Times.iso(clock.instant());
        String runId = Ids.prefixed("run");
        RunRecord pending = new RunRecord(runId, RunStatus.PENDING,
                new RunRecord.Scope(req.orgId(), req.applicationId(), agent.id(), agent.version(), 0),
                new RunRecord.Origin(req.userId(), req.endUserId(), req.apiKeyId(), req.scheduleId()),
                new RunRecord.Setup(input, model.label(), model.source().startsWith("system") ? "system" : "org", timeout,
                        launcher.adapterName()),
                new RunRecord.Timing(now, null, null, now, 0, null),
                RunRecord.Outcome.NONE);
        ActiveRun run = new ActiveRun(runId, req.orgId(), req.applicationId(), agent.id(), secret(), "sk-appstrate-run-" + hex(24),
                model, outputSchemaOf(manifest));
        run.connections = connections;
        run.runToken = runId + "." + hex(32);
        inFlight.add(run);
        if (!repo.insertIfUnderCap(pending, limits.maxConcurrentPerOrg())) {
            inFlight.remove(runId);
            throw new ApiException(429, "org_run_concurrency_exceeded", "Too Many Requests", "Organization concurrency limit "
                    + "reached (" + limits.maxConcurrentPerOrg() + " concurrent runs). Wait for a run to finish.");
        }
        RunRecord created = repo.find(runId).orElseThrow();
        feed.publishUpdate(created, "INSERT");
        feed.log(run, new RunRepository.NewLog("progress", "info", "progress", "run created · starting runner",
                Json.object().put("platform", true)));
        launcher.launchInBackground(run, agent, input, timeout);
        return created;
    }

    private void checkInput(JsonNode manifest, JsonNode input) {
        JsonNode inputSchema = manifest.path("input").path("schema");
        if (!inputSchema.isObject() || inputSchema.size() == 0) {
            return;
        }
        List<String> problems = schemaCheck.validate(inputSchema, input);
        if (problems.isEmpty()) {
            return;
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        for (String p : problems) {
            int colon = p.indexOf(": ");
            String field = colon > 0 ? p.substring(0, colon) : "input";
            errors.add(new ApiException.FieldError(field.startsWith("input") ? field : "input." + field, "invalid_input",
                    colon > 0 ? p.substring(colon + 2) : p));
        }
        throw ApiException.validation(errors);
    }

    /** The declared integrations' connections, opened for this run's memory only (never env, files, rows or logs). */
    private List<ResolvedConnection> openConnections(StartRequest req, JsonNode manifest) {
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
        RunRecord failed = new RunRecord(runId, RunStatus.FAILED,
                new RunRecord.Scope(req.orgId(), req.applicationId(), req.agent() == null ? null : req.agent().id(),
                        req.agent() == null ? null : req.agent().version(), 0),
                new RunRecord.Origin(req.userId(), req.endUserId(), req.apiKeyId(), req.scheduleId()),
                new RunRecord.Setup(req.input(), null, null, 0, launcher.adapterName()),
                new RunRecord.Timing(now, now, 0L, now, 0, now),
                new RunRecord.Outcome(null, message, null, null));
        repo.insertIfUnderCap(failed, 0);
        RunRecord r = repo.find(runId).orElseThrow();
        feed.statusChanged(r, "INSERT");
        return r;
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
}
