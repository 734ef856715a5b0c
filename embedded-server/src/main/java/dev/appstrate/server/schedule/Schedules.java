package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.runs.Runs;
import dev.appstrate.server.runs.ScheduleRuns;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.tenancy.Tenancy;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.LoggerFactory;

/**
 * The schedules service: the API's operations (bodies as the original's JSON, validated here) and what other
 * modules use: the run pipeline reads a schedule's overrides and actor with {@link #find} when launching.
 * Every change re-arms the scheduler.
 */
public final class Schedules {
    /**
     * The body of create and update, as the original's JSON: trees, so each value is checked below with the original's
     * texts and an explicit null (clear) differs from an absent field (keep).
     */
    public record ScheduleBody(JsonNode name, JsonNode cron_expression, JsonNode timezone, JsonNode input, JsonNode enabled,
                               JsonNode model_id_override, JsonNode generation_config_override, JsonNode proxy_id_override,
                               JsonNode version_override, JsonNode connection_overrides, JsonNode dependency_overrides,
                               JsonNode actor) {
    }

    /** The body of the cron preview. */
    public record PreviewBody(JsonNode cron_expression, JsonNode timezone, JsonNode count) {
    }

    static final int PREVIEW_MAX = 50;

    private final ScheduleRepository store;
    private final Scheduler scheduler;
    private final Clock clock;
    private final AgentCheck agents;
    private final Tenancy tenancy;
    private final Runs runs;

    /** What the schedules API asks about an agent: does it exist, and is this input valid for it. */
    @FunctionalInterface
    interface AgentCheck {
        /** null when the agent does not exist in the application; else the input's errors (empty when valid). */
        List<ApiException.FieldError> inputErrors(String applicationId, String packageId, JsonNode input);

        AgentCheck ANY = (applicationId, packageId, input) -> List.of();
    }

    public Schedules(ScheduleRepository store, Scheduler scheduler, Clock clock, AgentCheck agents, Tenancy tenancy,
                     Runs runs) {
        this.tenancy = tenancy;
        this.runs = runs;
        this.store = store;
        this.scheduler = scheduler;
        this.clock = clock;
        this.agents = agents;
    }

    public Optional<Schedule> find(String scheduleId) {
        return store.find(scheduleId);
    }

    public Schedule get(String applicationId, String scheduleId) {
        return store.find(applicationId, scheduleId).orElseThrow(() -> notFound(scheduleId));
    }

    public List<Schedule> listByApplication(String applicationId) {
        return store.listByApplication(applicationId);
    }

    public List<Schedule> listByAgent(String applicationId, String scope, String name) {
        return store.listByAgent(applicationId, requireAgent(applicationId, scope, name));
    }

    /** The latest fires of a schedule, newest first. */
    public List<ScheduleFire> fires(String scheduleId, int limit) {
        return store.fires(scheduleId, limit);
    }

    public Scheduler scheduler() {
        return scheduler;
    }

    /**
     * {@code POST /api/agents/{scope}/{name}/schedules}; the caller is the default actor: {@code callerEndUserId} when the
     * caller is an impersonated end-user ({@code Appstrate-User}, who may name no other actor), else {@code callerUserId}.
     */
    public Schedule create(String orgId, String applicationId, String callerUserId, String callerEndUserId, String scope,
                           String name, ScheduleBody body) {
        String packageId = requireAgent(applicationId, scope, name);
        String cron = requiredString(body.cron_expression(), "cron_expression");
        String timezone = body.timezone() != null ? nonEmptyString(body.timezone(), "timezone") : "UTC";
        CronRule rule = CronRule.of(cron, timezone);
        boolean enabled = body.enabled() == null || bool(body.enabled(), "enabled");
        Actor actor = body.actor() != null ? actor(applicationId, callerUserId, callerEndUserId, body.actor())
                : callerEndUserId != null ? new Actor(null, callerEndUserId) : new Actor(callerUserId, null);
        JsonNode input = body.input() != null ? inputObject(body.input()) : Json.object();
        validateInput(applicationId, packageId, input);
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        Schedule s = new Schedule(Ids.prefixed("sched"), orgId, applicationId, packageId,
                actor.userId(), actor.endUserId(), optionalString(body.name(), "name"), enabled, rule.expression(),
                rule.zone().getId(), input, optionalString(body.model_id_override(), "model_id_override"),
                optionalObject(body.generation_config_override(), "generation_config_override"),
                optionalString(body.proxy_id_override(), "proxy_id_override"),
                optionalString(body.version_override(), "version_override"),
                optionalObject(body.connection_overrides(), "connection_overrides"),
                optionalObject(body.dependency_overrides(), "dependency_overrides"),
                null, enabled ? rule.nextAfter(now).orElse(null) : null, now, now);
        store.insert(s);
        scheduler.changed();
        return s;
    }

    /**
     * {@code PUT /api/schedules/{id}}: a partial body. Pausing clears the next run; changing the expression, the
     * zone or resuming computes it afresh from now (the paused period is not caught up).
     */
    public Schedule update(String applicationId, String callerUserId, String callerEndUserId, String scheduleId, ScheduleBody body) {
        Schedule s = get(applicationId, scheduleId);
        String cron = body.cron_expression() != null ? requiredString(body.cron_expression(), "cron_expression")
                : s.cronExpression();
        String timezone = body.timezone() != null ? nonEmptyString(body.timezone(), "timezone") : s.timezone();
        CronRule rule = CronRule.of(cron, timezone);
        boolean enabled = body.enabled() != null ? bool(body.enabled(), "enabled") : s.enabled();
        String userId = s.userId();
        String endUserId = s.endUserId();
        JsonNode connectionOverrides = body.connection_overrides() != null
                ? optionalObject(body.connection_overrides(), "connection_overrides")
                : s.connectionOverrides();
        if (body.actor() != null) {
            if (body.actor().isNull()) {
                throw ApiException.validation("actor", "invalid_type", "actor can be re-pointed but not cleared");
            }
            Actor a = actor(applicationId, callerUserId, callerEndUserId, body.actor());
            boolean changed = !Objects.equals(a.userId(), userId) || !Objects.equals(a.endUserId(), endUserId);
            if (changed && body.connection_overrides() == null) {
                connectionOverrides = null; // the new actor's connections differ, as in the original
            }
            userId = a.userId();
            endUserId = a.endUserId();
        }
        if (body.input() != null) {
            validateInput(applicationId, s.packageId(), inputObject(body.input()));
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        boolean timingChanged = !rule.expression().equals(s.cronExpression()) || !rule.zone().getId().equals(s.timezone())
                || enabled != s.enabled();
        Instant next = !enabled ? null
                : timingChanged || s.nextRunAt() == null ? rule.nextAfter(now).orElse(null) : s.nextRunAt();
        Schedule updated = new Schedule(s.id(), s.orgId(), s.applicationId(), s.packageId(), userId, endUserId,
                body.name() != null ? optionalString(body.name(), "name") : s.name(), enabled, rule.expression(),
                rule.zone().getId(), body.input() != null ? inputObject(body.input()) : s.input(),
                body.model_id_override() != null ? optionalString(body.model_id_override(), "model_id_override")
                        : s.modelIdOverride(),
                body.generation_config_override() != null
                        ? optionalObject(body.generation_config_override(), "generation_config_override")
                        : s.generationConfigOverride(),
                body.proxy_id_override() != null ? optionalString(body.proxy_id_override(), "proxy_id_override")
                        : s.proxyIdOverride(),
                body.version_override() != null ? optionalString(body.version_override(), "version_override")
                        : s.versionOverride(),
                connectionOverrides,
                body.dependency_overrides() != null ? optionalObject(body.dependency_overrides(), "dependency_overrides")
                        : s.dependencyOverrides(),
                s.lastRunAt(), next, s.createdAt(), now);
        store.update(updated);
        scheduler.changed();
        return updated;
    }

    public void delete(String applicationId, String scheduleId) {
        if (!store.delete(applicationId, scheduleId)) {
            throw notFound(scheduleId);
        }
        scheduler.changed();
    }

    /** The agent was deleted: its schedules go with it (the original's foreign key cascades), rather than fail every fire. */
    public void deleteForAgent(String packageId) {
        try {
            if (store.deleteForPackage(packageId) > 0) {
                scheduler.changed();
            }
        } catch (RuntimeException e) {
            // the agent is deleted already: its delete must not answer an error; a schedule left turns itself off at its fire
            LoggerFactory.getLogger(Schedules.class).warn("Schedules of a deleted agent not deleted packageId={} error={}",
                    packageId, e.toString());
        }
    }

    /** "Run now": one extra run of the schedule, paused or not. */
    public ScheduleFire runNow(String applicationId, String scheduleId) {
        return scheduler.runNow(get(applicationId, scheduleId));
    }

    /** The rule a preview request describes: {cron_expression, timezone?}; count is read by the caller. */
    static CronRule previewRule(PreviewBody body) {
        String cron = requiredString(body.cron_expression(), "cron_expression");
        String timezone = body.timezone() != null ? nonEmptyString(body.timezone(), "timezone") : "UTC";
        return CronRule.of(cron, timezone);
    }

    static int previewCount(PreviewBody body) {
        if (body.count() == null) {
            return 5;
        }
        JsonNode c = body.count();
        if (!c.isIntegralNumber() || !c.canConvertToInt() || c.asInt() < 1 || c.asInt() > PREVIEW_MAX) {
            throw ApiException.invalidRequest("count must be a whole number from 1 to " + PREVIEW_MAX, "count");
        }
        return c.asInt();
    }

    /** The original's run counters of every schedule of an application that has runs, keyed by schedule id. */
    Map<String, ScheduleRuns> runStats(String applicationId) {
        return runs.bySchedule(applicationId);
    }

    /** The display name of a schedule's end-user actor; null for a user actor. */
    String actorName(Schedule s) {
        if (s.endUserId() == null) {
            return null;
        }
        return tenancy.endUserNames(s.endUserId())
                .map(n -> n.name() != null ? n.name() : n.email() != null ? n.email() : n.externalId()).orElse(null);
    }

    private String requireAgent(String applicationId, String scope, String name) {
        if (scope == null || name == null || !scope.startsWith("@") || scope.length() < 2 || name.isEmpty()
                || agents.inputErrors(applicationId, scope + "/" + name, Json.object()) == null) {
            throw ApiException.notFound("agent_not_found", "Agent '" + scope + "/" + name + "' not found");
        }
        return scope + "/" + name;
    }

    /** The schedule's input must be valid for the agent now; the run re-checks it at each fire. */
    private void validateInput(String applicationId, String packageId, JsonNode input) {
        List<ApiException.FieldError> errors = agents.inputErrors(applicationId, packageId, input);
        if (errors == null) {
            throw ApiException.notFound("agent_not_found", "Agent '" + packageId + "' not found");
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
    }

    private static ApiException notFound(String id) {
        return ApiException.notFound("Schedule '" + id + "' not found");
    }

    /** Who the schedule's runs act for: the caller, or an end-user of this application. */
    private record Actor(String userId, String endUserId) {
    }

    private Actor actor(String applicationId, String callerUserId, String callerEndUserId, JsonNode node) {
        if (!node.isObject()) {
            throw ApiException.validation("actor", "invalid_type", "actor must be {user_id} or {end_user_id}");
        }
        boolean user = node.hasNonNull("user_id");
        boolean endUser = node.hasNonNull("end_user_id");
        if (user == endUser || node.size() != 1) {
            throw ApiException.validation("actor", "invalid_actor", "actor must have exactly one of user_id or end_user_id");
        }
        if (callerEndUserId != null && !callerEndUserId.equals(node.path("end_user_id").asText(null))) {
            // an impersonated end-user's schedules act for it alone (they would run with another's connections)
            throw ApiException.validation("actor", "invalid_actor", "A schedule can only act for yourself");
        }
        if (user) {
            String userId = node.get("user_id").asText();
            if (!userId.equals(callerUserId)) {
                throw ApiException.validation("actor.user_id", "invalid_actor", "A schedule can only act for yourself");
            }
            return new Actor(userId, null);
        }
        String endUserId = node.get("end_user_id").asText();
        boolean exists = tenancy.endUserInApplication(applicationId, endUserId);
        if (!exists) {
            throw ApiException.validation("actor.end_user_id", "not_found", "End-user '" + endUserId + "' not found");
        }
        return new Actor(null, endUserId);
    }

    private static String requiredString(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            throw ApiException.invalidRequest(field + " is required", field);
        }
        if (!v.isTextual()) {
            throw ApiException.invalidRequest(field + " must be a string", field);
        }
        return v.asText();
    }

    private static String nonEmptyString(JsonNode v, String field) {
        String s = requiredString(v, field);
        if (s.isBlank()) {
            throw ApiException.invalidRequest(field + " must not be empty", field);
        }
        return s;
    }

    private static String optionalString(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw ApiException.validation(field, "invalid_type", "Expected a string or null");
        }
        if (v.asText().length() > 500) {
            throw ApiException.validation(field, "too_long", "At most 500 characters");
        }
        return v.asText();
    }

    private static JsonNode optionalObject(JsonNode v, String field) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isObject()) {
            throw ApiException.validation(field, "invalid_type", "Expected an object or null");
        }
        return v;
    }

    private static boolean bool(JsonNode v, String field) {
        if (v == null || !v.isBoolean()) {
            throw ApiException.validation(field, "invalid_type", "Expected a boolean");
        }
        return v.asBoolean();
    }

    private static JsonNode inputObject(JsonNode v) {
        if (v == null || v.isNull()) {
            return Json.object();
        }
        if (!v.isObject()) {
            throw ApiException.validation("input", "invalid_type", "Expected an object");
        }
        return v;
    }
}
