package dev.appstrate.desktop.ui.schedules;

import dev.appstrate.desktop.client.SchedulesApi;
import dev.appstrate.desktop.ui.Shown;

/** One schedule in the table: the client's {@link SchedulesApi.Schedule} and how it is shown. */
public record ScheduleRow(SchedulesApi.Schedule schedule) {
    public String id() {
        return schedule.id();
    }

    public String name() {
        return schedule.name();
    }

    public String packageId() {
        return schedule.packageId();
    }

    public String timezone() {
        return schedule.timezone();
    }

    public boolean enabled() {
        return schedule.enabled();
    }

    public String status() {
        return enabled() ? "active" : "paused";
    }

    /** The next run as wall-clock time in the schedule's own zone; a paused schedule has none. */
    public String nextRun() {
        if (!enabled()) {
            return "— paused";
        }
        return schedule.nextRunAt().isEmpty() ? "never" : Shown.whenIn(schedule.nextRunAt(), timezone());
    }

    public String lastRun() {
        return schedule.lastRunAt().isEmpty() ? "" : Shown.whenIn(schedule.lastRunAt(), timezone());
    }

    public String shownName() {
        return name().isEmpty() ? id() : name();
    }

    public String when() {
        String d = schedule.cronDescription();
        return d.isEmpty() ? schedule.cronExpression() : schedule.cronExpression() + "  —  " + d;
    }
}
