package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/** {@code /api/schedules} and an agent's schedules: cron schedules with preview, pause/resume and run-now. */
public final class SchedulesApi {
    private final AppstrateClient client;

    public SchedulesApi(AppstrateClient client) {
        this.client = client;
    }

    public JsonNode list() {
        return client.get("/api/schedules", Map.of());
    }

    public JsonNode get(String id) {
        return client.get("/api/schedules/" + id, Map.of());
    }

    /** {@code POST /api/agents/{scope}/{name}/schedules} with {name, cron_expression, timezone, input, enabled}. */
    public JsonNode create(String packageId, ObjectNode body) {
        return client.send("POST", "/api/agents/" + packageId + "/schedules", body);
    }

    /** A partial update: only the fields present change. */
    public JsonNode update(String id, ObjectNode changes) {
        return client.send("PUT", "/api/schedules/" + id, changes);
    }

    public JsonNode setEnabled(String id, boolean enabled) {
        return update(id, DesktopJson.object().put("enabled", enabled));
    }

    public void delete(String id) {
        client.send("DELETE", "/api/schedules/" + id, Map.of(), null);
    }

    /** One extra run now, paused or not; answers the recorded fire. */
    public JsonNode runNow(String id) {
        return client.send("POST", "/api/schedules/" + id + "/run", DesktopJson.object());
    }

    public JsonNode fires(String id, int limit) {
        return client.get("/api/schedules/" + id + "/fires", Map.of("limit", String.valueOf(limit)));
    }

    /** {description, next_runs:[{at, local}]}; an invalid expression or zone is a 400 naming it in {@code param}. */
    public JsonNode preview(String cronExpression, String timezone, int count) {
        ObjectNode body = DesktopJson.object().put("cron_expression", cronExpression).put("count", count);
        if (timezone != null && !timezone.isBlank()) {
            body.put("timezone", timezone);
        }
        return client.send("POST", "/api/schedules/preview", body);
    }
}
