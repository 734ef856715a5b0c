package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.runs.ScheduleRuns;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/** The schedules API of the original, plus {@code preview}, {@code run} ("run now") and {@code fires}. */
public final class ScheduleRoutes {
    private static final String TAG = "Schedules";

    private final Schedules schedules;
    private final Clock clock;

    public ScheduleRoutes(Schedules schedules, Clock clock) {
        this.schedules = schedules;
        this.clock = clock;
    }

    public void register(Router router) {
        router.get("/api/schedules", this::listAll).appScoped().doc(TAG, "List the application's schedules");
        router.post("/api/schedules/preview", this::preview).appScoped()
                .extension("cron_preview").doc(TAG, "Next fire times and a description of a cron expression in a time zone");
        router.get("/api/agents/{scope}/{name}/schedules", this::listForAgent).appScoped().doc(TAG, "List an agent's schedules");
        router.post("/api/agents/{scope}/{name}/schedules", this::create)
                .appScoped().rateLimit(10).permission("schedules:write").doc(TAG, "Create a schedule");
        router.get("/api/schedules/{id}", this::get).appScoped().doc(TAG, "Get a schedule");
        router.put("/api/schedules/{id}", this::update)
                .appScoped().permission("schedules:write").doc(TAG, "Update a schedule (partial body)");
        router.delete("/api/schedules/{id}", this::delete)
                .appScoped().permission("schedules:delete").doc(TAG, "Delete a schedule");
        router.post("/api/schedules/{id}/run", this::runNow)
                .appScoped().rateLimit(20).permission("schedules:write").extension("schedule_run_now")
                .doc(TAG, "Run a schedule now");
        router.get("/api/schedules/{id}/fires", this::fires)
                .appScoped().extension("schedule_fires").doc(TAG, "Recent occurrences of a schedule, newest first");
    }

    private ApiResponse listAll(ApiRequest req) {
        return list(req, schedules.listByApplication(app(req)));
    }

    private ApiResponse listForAgent(ApiRequest req) {
        return list(req, schedules.listByAgent(app(req), req.pathParam("scope"), req.pathParam("name")));
    }

    /** An impersonated end-user ({@code Appstrate-User}) sees only the schedules that act for it. */
    private static boolean visible(ApiRequest req, Schedule s) {
        return req.auth().endUserId() == null || req.auth().endUserId().equals(s.endUserId());
    }

    /** The schedule the path names, if the caller may see it; else 404, as for an unknown one. */
    private Schedule find(ApiRequest req) {
        Schedule s = schedules.get(app(req), req.pathParam("id"));
        if (!visible(req, s)) {
            throw ApiException.notFound("Schedule '" + s.id() + "' not found");
        }
        return s;
    }

    private ApiResponse list(ApiRequest req, List<Schedule> all) {
        List<Schedule> items = all.stream().filter(s -> visible(req, s)).toList();
        ObjectNode n = Json.object();
        n.put("object", "list");
        var data = n.putArray("data");
        Map<String, ScheduleRuns> stats = items.isEmpty() ? Map.of() : schedules.runStats(items.get(0).applicationId());
        for (Schedule s : items) {
            data.add(ScheduleJson.schedule(s, schedules.actorName(s), stats.getOrDefault(s.id(), ScheduleRuns.NONE)));
        }
        n.put("hasMore", false);
        return ApiResponse.ok(n);
    }

    private ApiResponse get(ApiRequest req) {
        return ApiResponse.ok(json(find(req)));
    }

    private ApiResponse create(ApiRequest req) {
        Schedule s = schedules.create(req.auth().orgId(), app(req), req.auth().userId(), req.auth().endUserId(), req.pathParam("scope"),
                req.pathParam("name"), req.body(Schedules.ScheduleBody.class));
        return ApiResponse.created(json(s));
    }

    private ApiResponse update(ApiRequest req) {
        find(req);
        return ApiResponse.ok(json(schedules.update(app(req), req.auth().userId(), req.auth().endUserId(), req.pathParam("id"),
                req.body(Schedules.ScheduleBody.class))));
    }

    private ApiResponse delete(ApiRequest req) {
        find(req);
        schedules.delete(app(req), req.pathParam("id"));
        return ApiResponse.noContent();
    }

    private ApiResponse runNow(ApiRequest req) {
        find(req);
        return ApiResponse.created(ScheduleJson.fire(schedules.runNow(app(req), req.pathParam("id"))));
    }

    private ApiResponse fires(ApiRequest req) {
        Schedule s = find(req);
        int limit = dev.appstrate.server.http.ListEnvelope.limit(req, 20, 100);
        List<ScheduleFire> fires = schedules.fires(s.id(), limit + 1);
        ObjectNode n = Json.object();
        n.put("object", "list");
        var data = n.putArray("data");
        fires.stream().limit(limit).forEach(f -> data.add(ScheduleJson.fire(f)));
        n.put("hasMore", fires.size() > limit);
        return ApiResponse.ok(n);
    }

    private ApiResponse preview(ApiRequest req) {
        Schedules.PreviewBody body = req.body(Schedules.PreviewBody.class);
        CronRule rule = Schedules.previewRule(body);
        return ApiResponse.ok(ScheduleJson.preview(rule, clock.instant(), Schedules.previewCount(body)));
    }

    private ObjectNode json(Schedule s) {
        ScheduleRuns stats = schedules.runStats(s.applicationId()).getOrDefault(s.id(), ScheduleRuns.NONE);
        return ScheduleJson.schedule(s, schedules.actorName(s), stats);
    }

    private static String app(ApiRequest req) {
        String app = req.applicationId();
        if (app == null) {
            throw ApiException.invalidRequest("X-App-Id header is required", "X-App-Id");
        }
        return app;
    }

}
