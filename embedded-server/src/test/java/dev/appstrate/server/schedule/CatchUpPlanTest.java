package dev.appstrate.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.config.ConfigException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CatchUpPlanTest {
    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    @Test
    void anOnTimeOccurrenceAlwaysFiresEvenWithCatchUpDisabled() {
        CronRule rule = CronRule.of("*/5 * * * *", "UTC");
        CatchUpPlan plan = CatchUpPlan.of(rule, at("2025-06-02T10:00:00Z"), at("2025-06-02T10:00:00.004Z"), 0);
        assertEquals(List.of(at("2025-06-02T10:00:00Z")), plan.fire());
        assertTrue(plan.skipped().isEmpty());
        assertEquals(at("2025-06-02T10:05:00Z"), plan.next());
    }

    @Test
    void withCatchUpDisabledEveryMissedOccurrenceIsSkipped() {
        CronRule rule = CronRule.of("0 * * * *", "UTC");
        CatchUpPlan plan = CatchUpPlan.of(rule, at("2025-06-02T10:00:00Z"), at("2025-06-02T13:30:00Z"), 0);
        assertTrue(plan.fire().isEmpty());
        assertEquals(List.of(at("2025-06-02T10:00:00Z"), at("2025-06-02T11:00:00Z"), at("2025-06-02T12:00:00Z"),
                at("2025-06-02T13:00:00Z")), plan.skipped());
    }

    @Test
    void aMonthOfDowntimeOnAnEveryMinuteScheduleIsBoundedWork() {
        CronRule rule = CronRule.of("* * * * *", "UTC");
        CatchUpPlan plan = CatchUpPlan.of(rule, at("2025-05-01T00:00:00Z"), at("2025-06-01T00:00:30Z"), 2);
        assertEquals(List.of(at("2025-05-31T23:58:00Z"), at("2025-05-31T23:59:00Z"), at("2025-06-01T00:00:00Z")),
                plan.fire(), "the two most recent missed occurrences, found backwards, plus the on-time one");
        assertEquals(CatchUpPlan.SKIP_RECORD_LIMIT, plan.skipped().size(), "skips recorded up to the limit");
        assertEquals(at("2025-05-01T00:00:00Z"), plan.skipped().get(0));
        assertTrue(plan.unrecorded() > 0);
        assertEquals(at("2025-06-01T00:01:00Z"), plan.next());
    }

    @Test
    void theCatchUpLimitComesFromTheEnvironment() {
        java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
        assertEquals(1, dev.appstrate.server.config.EnvConfigLoader.load(dev.appstrate.server.testing.TestServer.env(dir, Map.of()))
                .limits().scheduleCatchupMax());
        assertEquals(5, dev.appstrate.server.config.EnvConfigLoader.load(dev.appstrate.server.testing.TestServer.env(dir,
                Map.of("SCHEDULE_CATCHUP_MAX", "5"))).limits().scheduleCatchupMax());
        ConfigException e = assertThrows(ConfigException.class, () -> dev.appstrate.server.config.EnvConfigLoader.load(
                dev.appstrate.server.testing.TestServer.env(dir, Map.of("SCHEDULE_CATCHUP_MAX", "lots"))));
        assertTrue(e.getMessage().contains("SCHEDULE_CATCHUP_MAX"));
    }
}
