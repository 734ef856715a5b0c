package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/schedules} and an agent's schedules, in the original's operations and bodies; our server's
 * extensions (preview, fires, run now) only when {@link ServerCapabilities#has} says so, else a local preview
 * and the original's {@code GET /api/schedules/{id}/runs}.
 */
public final class SchedulesApi {
    /** A schedule as the original's Schedule DTO has it; {@code cronDescription} is computed here when the server sends none. */
    public record Schedule(String id, String name, String packageId, String cronExpression, String cronDescription,
                           String timezone, boolean enabled, String nextRunAt, String lastRunAt, JsonNode input) {
        static Schedule of(JsonNode s) {
            String cron = DesktopJson.text(s, "cron_expression");
            String described = DesktopJson.text(s, "cron_description");
            return new Schedule(DesktopJson.text(s, "id"), DesktopJson.text(s, "name"), DesktopJson.text(s, "packageId"), cron,
                    described.isEmpty() ? LocalCron.describe(cron) : described, DesktopJson.text(s, "timezone"),
                    s.path("enabled").asBoolean(), DesktopJson.text(s, "next_run_at"), DesktopJson.text(s, "last_run_at"),
                    s.hasNonNull("input") ? s.get("input") : DesktopJson.object());
        }
    }

    /** One occurrence: when (ISO), why (cron, catch-up, manual; "schedule" when only its run is known), outcome, run. */
    public record Fire(String fireTime, String trigger, String status, String runId, String error) {
        static Fire ofFire(JsonNode f) {
            return new Fire(DesktopJson.text(f, "fire_time"), DesktopJson.text(f, "trigger"), DesktopJson.text(f, "status"),
                    DesktopJson.text(f, "runId"), DesktopJson.text(f, "error"));
        }

        /** The fire with its run's status, when the run is among {@code runStatus} (run id → status). */
        Fire withRunStatus(Map<String, String> runStatus) {
            String s = runId.isEmpty() ? "" : runStatus.getOrDefault(runId, "");
            return s.isEmpty() ? this : new Fire(fireTime, trigger, s, runId, error);
        }

        static Fire ofRun(JsonNode r) {
            return new Fire(DesktopJson.text(r, "started_at"), "schedule", DesktopJson.text(r, "status"), DesktopJson.text(r, "id"),
                    DesktopJson.text(r, "error"));
        }
    }

    /** A cron expression explained: its description and next fire times (ISO with the zone's offset). */
    public record Preview(String description, List<String> nextLocal) {
    }

    /**
     * What a create or edit sends: the original's fields only. A blank name is left out (the original's name is a
     * string, never null); {@code enabled} null leaves it as it is.
     */
    public record Changes(String name, String cronExpression, String timezone, Boolean enabled, JsonNode input) {
        ObjectNode json(boolean withEnabled) {
            ObjectNode b = DesktopJson.object();
            if (name != null && !name.isBlank()) {
                b.put("name", name.trim());
            }
            if (cronExpression != null) {
                b.put("cron_expression", cronExpression.trim());
            }
            if (timezone != null && !timezone.isBlank()) {
                b.put("timezone", timezone);
            }
            if (withEnabled && enabled != null) {
                b.put("enabled", enabled);
            }
            if (input != null) {
                b.set("input", input);
            }
            return b;
        }
    }

    private final AppstrateClient client;

    public SchedulesApi(AppstrateClient client) {
        this.client = client;
    }

    public List<Schedule> list() {
        List<Schedule> out = new ArrayList<>();
        client.get("/api/schedules", Map.of()).path("data").forEach(s -> out.add(Schedule.of(s)));
        return out;
    }

    public Schedule get(String id) {
        return Schedule.of(client.get("/api/schedules/" + id, Map.of()));
    }

    /**
     * {@code POST /api/agents/{scope}/{name}/schedules} with the original's body (it has no {@code enabled}: a
     * schedule created paused is paused right after, with {@code PUT}).
     */
    public Schedule create(String packageId, Changes body) {
        Schedule s = Schedule.of(client.send("POST", "/api/agents/" + packageId + "/schedules", body.json(false)));
        return Boolean.FALSE.equals(body.enabled()) && s.enabled() ? setEnabled(s.id(), false) : s;
    }

    /** A partial update: only the fields present change. */
    public Schedule update(String id, Changes changes) {
        return Schedule.of(client.send("PUT", "/api/schedules/" + id, changes.json(true)));
    }

    public Schedule setEnabled(String id, boolean enabled) {
        return Schedule.of(client.send("PUT", "/api/schedules/" + id, DesktopJson.object().put("enabled", enabled)));
    }

    public void delete(String id) {
        client.send("DELETE", "/api/schedules/" + id, Map.of(), null);
    }

    /** Whether the server can run a schedule now (ours; the original has no such operation). */
    public boolean canRunNow() {
        return client.capabilities().has(Capability.SCHEDULE_RUN_NOW);
    }

    /** One extra run now, paused or not; answers the recorded fire. Ours only: see {@link #canRunNow()}. */
    public Fire runNow(String id) {
        return Fire.ofFire(client.send("POST", "/api/schedules/" + id + "/run", DesktopJson.object()));
    }

    /**
     * Recent occurrences, newest first: our fires, or the original's runs of the schedule. A fire that started a run
     * shows that run's status (running, success, failed…), not the fire's own "started".
     */
    public List<Fire> fires(String id, int limit) {
        List<Fire> out = new ArrayList<>();
        if (client.capabilities().has(Capability.SCHEDULE_FIRES)) {
            Map<String, String> runStatus = new java.util.HashMap<>();
            client.get("/api/schedules/" + id + "/runs", Map.of("limit", String.valueOf(limit))).path("data")
                    .forEach(r -> runStatus.put(DesktopJson.text(r, "id"), DesktopJson.text(r, "status")));
            client.get("/api/schedules/" + id + "/fires", Map.of("limit", String.valueOf(limit))).path("data")
                    .forEach(f -> out.add(Fire.ofFire(f).withRunStatus(runStatus)));
        } else {
            client.get("/api/schedules/" + id + "/runs", Map.of("limit", String.valueOf(limit))).path("data")
                    .forEach(r -> out.add(Fire.ofRun(r)));
        }
        return out;
    }

    /**
     * The description and next fire times in {@code timezone}: the server's preview when it has one, else computed
     * here with the same rules. An invalid expression or zone is a 400 naming it in {@code param}.
     */
    public Preview preview(String cronExpression, String timezone, int count) {
        if (!client.capabilities().has(Capability.CRON_PREVIEW)) {
            return LocalCron.preview(cronExpression, timezone, Instant.now(), count);
        }
        ObjectNode body = DesktopJson.object().put("cron_expression", cronExpression).put("count", count);
        if (timezone != null && !timezone.isBlank()) {
            body.put("timezone", timezone);
        }
        JsonNode r = client.send("POST", "/api/schedules/preview", body);
        List<String> next = new ArrayList<>();
        r.path("next_runs").forEach(n -> next.add(DesktopJson.text(n, "local")));
        return new Preview(DesktopJson.text(r, "description"), List.copyOf(next));
    }
}
