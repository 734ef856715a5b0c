package dev.appstrate.server.schedule;

/**
 * Scheduler settings (from ServerConfig). {@code SCHEDULE_CATCHUP_MAX} (default 1, 0–100): how many
 * occurrences missed during downtime still start a run; the original caps its backlog at 5.
 */
public record ScheduleSettings(int catchUpMax) {
    public static final int DEFAULT_CATCHUP_MAX = 1;
}
