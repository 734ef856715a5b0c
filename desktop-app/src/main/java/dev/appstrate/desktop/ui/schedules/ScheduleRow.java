package dev.appstrate.desktop.ui.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.ui.Shown;

/** One schedule in the table, read from the Schedule DTO. */
public record ScheduleRow(String id, String name, String packageId, String cron, String description, String timezone,
                          boolean enabled, String nextRunAt, String lastRunAt, JsonNode raw) {
    static ScheduleRow of(JsonNode s) {
        return new ScheduleRow(DesktopJson.text(s, "id"), DesktopJson.text(s, "name"), DesktopJson.text(s, "packageId"),
                DesktopJson.text(s, "cron_expression"), DesktopJson.text(s, "cron_description"), DesktopJson.text(s, "timezone"),
                s.path("enabled").asBoolean(), DesktopJson.text(s, "next_run_at"), DesktopJson.text(s, "last_run_at"), s);
    }

    public String status() {
        return enabled ? "active" : "paused";
    }

    /** The next run as wall-clock time in the schedule's own zone; a paused schedule has none. */
    public String nextRun() {
        if (!enabled) {
            return "— paused";
        }
        return nextRunAt.isEmpty() ? "never" : Shown.whenIn(nextRunAt, timezone);
    }

    public String lastRun() {
        return lastRunAt.isEmpty() ? "" : Shown.whenIn(lastRunAt, timezone);
    }

    public String shownName() {
        return name.isEmpty() ? id : name;
    }

    public String schedule() {
        return description.isEmpty() ? cron : cron + "  —  " + description;
    }
}
