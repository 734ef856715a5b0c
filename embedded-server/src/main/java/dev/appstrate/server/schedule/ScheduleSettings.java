package dev.appstrate.server.schedule;

import dev.appstrate.server.config.ConfigException;
import java.util.List;
import java.util.function.Function;

/**
 * Scheduler settings read from the environment. {@code SCHEDULE_CATCHUP_MAX} (default 1, 0–100): how many
 * occurrences missed during downtime still start a run; the original caps its backlog at 5.
 */
public record ScheduleSettings(int catchUpMax) {
    public static final int DEFAULT_CATCHUP_MAX = 1;

    public static ScheduleSettings fromEnv(Function<String, String> env) {
        String raw = env.apply("SCHEDULE_CATCHUP_MAX");
        if (raw == null || raw.isBlank()) {
            return new ScheduleSettings(DEFAULT_CATCHUP_MAX);
        }
        try {
            int n = Integer.parseInt(raw.trim());
            if (n >= 0 && n <= 100) {
                return new ScheduleSettings(n);
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        throw new ConfigException(List.of("SCHEDULE_CATCHUP_MAX: must be a whole number from 0 to 100 "
                + "(missed occurrences started after downtime; got \"" + raw + "\")"));
    }
}
