package dev.appstrate.server.schedule;

import java.time.Instant;

/**
 * One occurrence of a schedule: {@code pending} while its run is being started, then {@code started}
 * (with the run id), {@code failed} (with the reason, and the failed run's id when one was recorded),
 * or {@code skipped} (missed during downtime beyond the catch-up limit).
 */
public record ScheduleFire(String scheduleId, Instant fireTime, String trigger, String status, String runId,
                           String error, Instant createdAt) {
    public static final String CRON = "cron";
    public static final String MANUAL = "manual";
}
