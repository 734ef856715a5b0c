package dev.appstrate.server.runs;

import dev.appstrate.server.http.ListEnvelope;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/** Running agents and reading runs: the original's routes under /api/agents/{scope}/{name}/run and /api/runs. */
public final class RunRoutes {
    /** The original's run body; the fields after modelId are accepted for compatibility and not used here. */
    record RunBody(JsonNode input, String modelId, JsonNode generation, JsonNode proxyId,
                   JsonNode connection_overrides, JsonNode dependency_overrides, JsonNode rerun_from) {
        static final RunBody EMPTY = new RunBody(null, null, null, null, null, null, null);
    }

    private static final List<String> LEVELS = List.of("debug", "info", "warn", "error");
    private final RunAdmission admission;
    private final RunFinalizer finalizer;
    private final RunRepository repo;
    private final Runs runs;
    private final RunEventBus bus;
    private final AgentCatalog catalog;
    private final RunNames names;
    private final RunJsonExtension extension;
    private final RunDocumentRepository documents;

    /** @param extension what other features add to a run's JSON (inline runs: their manifest and prompt) */
    public RunRoutes(RunAdmission admission, RunFinalizer finalizer, RunRepository repo, Runs runs, RunEventBus bus,
                     AgentCatalog catalog, RunNames names, RunJsonExtension extension, RunDocumentRepository documents) {
        this.admission = admission;
        this.finalizer = finalizer;
        this.repo = repo;
        this.runs = runs;
        this.names = names;
        this.bus = bus;
        this.catalog = catalog;
        this.extension = extension;
        this.documents = documents;
    }

    private ObjectNode json(RunRecord r) {
        return json(r, names.of(r), documents.outputCounts(List.of(r.id())));
    }

    private ObjectNode json(RunRecord r, RunNames.Names runNames, Map<String, Long> outputCounts) {
        ObjectNode n = RunJson.of(r, runNames);
        RunJson.documentCounts(n, r, outputCounts.getOrDefault(r.id(), 0L));
        extension.extend(r, n);
        return n;
    }

    public void register(Router r) {
        r.post("/api/agents/{scope}/{name}/run", this::start).appScoped().rateLimit(20).idempotencyKey().permission("agents:run")
                .doc("Runs", "Run an agent (201 with the run; fire-and-forget)");
        r.get("/api/agents/{scope}/{name}/runs", this::listOfAgent).appScoped().doc("Runs", "List the runs of an agent");
        r.delete("/api/agents/{scope}/{name}/runs", this::deleteOfAgent).appScoped().permission("runs:delete")
                .doc("Runs", "Delete the finished runs of an agent");
        r.get("/api/runs", this::list).appScoped().doc("Runs", "List runs, newest first");
        r.get("/api/runs/{id}", this::get)
                .appScoped().doc("Runs", "Get a run (?wait=N long-polls until it is terminal, up to 55 s)");
        r.get("/api/runs/{id}/logs", this::logs)
                .appScoped().rateLimit(120).doc("Runs", "Run logs after an id (?since=, ?level=, ?limit=)");
        r.get("/api/schedules/{id}/runs", this::listOfSchedule).appScoped()
                .doc("Runs", "List the runs a schedule started, newest first (the original's; empty for an unknown schedule)");
        r.post("/api/runs/{id}/cancel", this::cancel).appScoped().permission("runs:cancel").doc("Runs", "Cancel an active run");
    }

    static String packageId(ApiRequest req) {
        String scope = req.pathParam("scope");
        return (scope.startsWith("@") ? scope : "@" + scope) + "/" + req.pathParam("name");
    }

    private AgentPackage agent(ApiRequest req) {
        String id = packageId(req);
        return catalog.find(req.applicationId(), id)
                .orElseThrow(() -> ApiException.notFound("agent_not_found", "Agent '" + id + "' not found"));
    }

    private ApiResponse start(ApiRequest req) {
        AgentPackage agent = agent(req);
        RunBody body = req.body().length == 0 ? RunBody.EMPTY : req.body(RunBody.class);
        JsonNode input = body.input();
        if (input != null && !input.isNull() && !input.isObject()) {
            throw ApiException.validation("input", "invalid_type", "Expected an object");
        }
        String modelId = body.modelId();
        RunRecord run = admission.start(new RunAdmission.StartRequest(req.auth().orgId(), req.applicationId(), agent, input, modelId,
                req.auth().userId(), req.auth().apiKeyId(), req.auth().endUserId(), null));
        return ApiResponse.created(json(run));
    }

    private RunRecord find(ApiRequest req) {
        return runs.visibleTo(req, req.pathParam("id"));
    }

    private ApiResponse get(ApiRequest req) throws InterruptedException {
        RunRecord r = find(req);
        String wait = req.queryParam("wait").orElse(null);
        if (wait != null && r.active()) {
            int seconds;
            if (wait.equals("true")) {
                seconds = 55;
            } else {
                try {
                    seconds = Integer.parseInt(wait);
                } catch (NumberFormatException e) {
                    throw ApiException.invalidRequest("wait must be a number of seconds (at most 55) or true", "wait");
                }
                if (seconds < 0) {
                    throw ApiException.invalidRequest("wait must be a number of seconds (at most 55) or true", "wait");
                }
            }
            long deadline = System.currentTimeMillis() + Math.min(55, seconds) * 1000L;
            try (RunEventBus.Subscription sub = bus.subscribe(e -> e.channel().equals(RunEvent.RUN_UPDATE) && e.runId().equals(r.id())
                    && RunStatus.TERMINAL.contains(e.payload().path("status").asText()), 4)) {
                RunRecord now = repo.find(r.id()).orElse(r);
                while (now.active() && System.currentTimeMillis() < deadline) {
                    if (sub.poll(Math.max(1, deadline - System.currentTimeMillis())) != null) {
                        now = repo.find(r.id()).orElse(now);
                    }
                }
                return ApiResponse.ok(json(now));
            }
        }
        return ApiResponse.ok(json(r));
    }

    private ApiResponse list(ApiRequest req) {
        String user = req.queryParam("user").filter(u -> !u.isEmpty()).orElse(null);
        if (user != null && !user.equals("me")) {
            // the original: a filtered list is never silently widened to every run
            throw ApiException.invalidRequest("user must be \"me\"", "user");
        }
        if (req.auth().endUserId() != null || user != null) {
            // the original: the caller's own runs only, the other filters ignored
            RunFilter own = RunFilter.of(req.applicationId(), null, null, null, null, null);
            return page(req, req.auth().endUserId() != null ? own : own.ofUser(req.auth().userId()), 20);
        }
        String status = req.queryParam("status").orElse(null);
        if (status != null && !RunStatus.ALL.contains(status)) {
            throw ApiException.invalidRequest("Unknown status '" + status + "'", "status");
        }
        String kind = req.queryParam("kind").orElse(null);
        if (kind != null && !Set.of("all", "package", "inline").contains(kind)) {
            throw ApiException.invalidRequest("Unknown kind '" + kind + "'", "kind");
        }
        RunFilter f = RunFilter.of(req.applicationId(), req.queryParam("packageId").orElse(null), status,
                date(req, "start_date"), date(req, "end_date"), kind);
        return page(req, f, 20);
    }

    private ApiResponse listOfAgent(ApiRequest req) {
        AgentPackage agent = agent(req);
        return page(req, RunFilter.ofAgent(req.applicationId(), agent.id()), 50);
    }

    private ApiResponse listOfSchedule(ApiRequest req) {
        return page(req, RunFilter.ofSchedule(req.applicationId(), req.pathParam("id")), 20);
    }

    /** A page of the runs {@code filter} selects; an impersonated end-user's own only. */
    private ApiResponse page(ApiRequest req, RunFilter filter, int defaultLimit) {
        RunFilter f = req.auth().endUserId() == null ? filter : filter.ofEndUser(req.auth().endUserId());
        ListEnvelope.Page page = ListEnvelope.Page.from(req, defaultLimit, 100);
        Function<RunRecord, RunNames.Names> named = names.memo();
        List<RunRecord> rows = repo.list(f, page.limit(), page.offset());
        Map<String, Long> outputCounts = documents.outputCounts(rows.stream().map(RunRecord::id).toList()); // one query per page
        List<ObjectNode> data = rows.stream().map(r -> json(r, named.apply(r), outputCounts)).toList();
        return ListEnvelope.offsetPage(req, data, repo.count(f), page);
    }

    private ApiResponse deleteOfAgent(ApiRequest req) {
        AgentPackage agent = agent(req);
        String endUser = req.auth().endUserId(); // an impersonated end-user deletes only its own runs
        if (repo.countActiveOfPackage(req.applicationId(), agent.id(), endUser) > 0) {
            throw ApiException.conflict("run_in_progress", "Runs of this agent are still active; cancel them first");
        }
        int n = runs.deleteFinishedOfPackage(req.applicationId(), agent.id(), endUser).size();
        return ApiResponse.ok(Json.object().put("deleted_count", n));
    }

    /** A logs page stops before its messages and data pass this (?limit= is an upper bound), holding the page's memory to it. */
    static final long PAGE_CHARS = 1L << 20;

    private ApiResponse logs(ApiRequest req) {
        RunRecord r = find(req);
        long since = parseLong(req.queryParam("since").orElse(null), 0);
        int limit = (int) parseLong(req.queryParam("limit").orElse(null), 1000);
        if (limit < 1 || limit > 1000) {
            limit = 1000;
        }
        int level = Math.max(0, LEVELS.indexOf(req.queryParam("level").orElse("debug")));
        RunRepository.LogPage page = repo.logPage(r.id(), since, level, limit, PAGE_CHARS);
        boolean hasMore = page.more();
        List<ObjectNode> data = page.rows();
        ApiResponse resp = ApiResponse.ok(ListEnvelope.of(data, hasMore, null));
        if (hasMore) {
            Map<String, String> q = new TreeMap<>(req.query());
            q.put("since", data.get(data.size() - 1).get("id").asText());
            resp.header("Link", "<" + ListEnvelope.url(req, q) + ">; rel=\"next\"");
        }
        return resp;
    }

    private ApiResponse cancel(ApiRequest req) {
        RunRecord r = find(req);
        return ApiResponse.ok(json(finalizer.cancel(r.id())));
    }

    private static String date(ApiRequest req, String name) {
        String v = req.queryParam(name).orElse(null);
        if (v == null) {
            return null;
        }
        try {
            return dev.appstrate.server.store.Times.iso(v.length() == 10 ? Instant.parse(v + "T00:00:00Z") : Instant.parse(v));
        } catch (DateTimeParseException e) {
            throw ApiException.invalidRequest(name + " must be an ISO 8601 date", name);
        }
    }

    private static long parseLong(String s, long def) {
        if (s == null) {
            return def;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
