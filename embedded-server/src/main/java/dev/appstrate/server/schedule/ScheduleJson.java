package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.runs.ScheduleRuns;
import dev.appstrate.server.store.Times;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/** Wire shapes: the original's {@code Schedule} DTO (mixed snake/camel case, as it is), fires and previews. */
final class ScheduleJson {
    private ScheduleJson() {
    }

    static ObjectNode schedule(Schedule s, String actorName, ScheduleRuns stats) {
        ObjectNode n = Json.object();
        n.put("id", s.id());
        n.put("packageId", s.packageId());
        n.put("userId", s.userId());
        n.put("endUserId", s.endUserId());
        n.put("orgId", s.orgId());
        n.put("applicationId", s.applicationId());
        n.put("name", s.name());
        n.put("enabled", s.enabled());
        n.put("cron_expression", s.cronExpression());
        n.put("timezone", s.timezone());
        n.set("input", s.input());
        n.set("generation_config_override", s.generationConfigOverride());
        n.put("model_id_override", s.modelIdOverride());
        n.put("proxy_id_override", s.proxyIdOverride());
        n.put("version_override", s.versionOverride());
        n.set("connection_overrides", s.connectionOverrides());
        n.set("dependency_overrides", s.dependencyOverrides());
        n.put("last_run_at", Times.iso(s.lastRunAt()));
        n.put("next_run_at", s.enabled() ? Times.iso(s.nextRunAt()) : null);
        n.put("createdAt", Times.iso(s.createdAt()));
        n.put("updatedAt", Times.iso(s.updatedAt()));
        n.put("actor_type", s.endUserId() != null ? "end_user" : "user");
        n.put("actor_name", actorName);
        n.put("running_runs", stats.active());
        // the original: 0 when the schedule never fired; unread counts notifications, which a local server has none of
        n.put("unread_count", 0);
        n.put("last_run_number", stats.lastRunNumber() == null ? 0 : stats.lastRunNumber());
        n.put("cron_description", describe(s));
        return n;
    }

    private static String describe(Schedule s) {
        try {
            return s.rule().describe();
        } catch (RuntimeException e) {
            return null;
        }
    }

    static ObjectNode fire(ScheduleFire f) {
        ObjectNode n = Json.object();
        n.put("object", "schedule_fire");
        n.put("scheduleId", f.scheduleId());
        n.put("fire_time", Times.iso(f.fireTime()));
        n.put("trigger", f.trigger());
        n.put("status", f.status());
        n.put("runId", f.runId());
        n.put("error", f.error());
        n.put("createdAt", Times.iso(f.createdAt()));
        return n;
    }

    static ObjectNode preview(CronRule rule, Instant from, int count) {
        ObjectNode n = Json.object();
        n.put("cron_expression", rule.expression());
        n.put("timezone", rule.zone().getId());
        n.put("description", rule.describe());
        var arr = n.putArray("next_runs");
        List<ZonedDateTime> times = rule.upcoming(from, count);
        for (ZonedDateTime t : times) {
            arr.addObject()
                    .put("at", Times.iso(t.toInstant()))
                    .put("local", t.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        }
        return n;
    }
}
