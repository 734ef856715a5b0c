package dev.appstrate.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.timers.ExecutorTimers;
import dev.appstrate.server.testing.TestRuns;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one wall-clock test: with real timers, an every-minute schedule starts its run on time (within 2 s, on a busy CI machine too). */
class SchedulerRealTimeTest {
    @TempDir
    Path dir;

    @Test
    void anEveryMinuteScheduleFiresOnTime() throws Exception {
        try (Database db = TestTenant.open(dir.resolve("appstrate.db"), Clock.systemUTC())) {
            CronRule.of("* * * * *", "UTC").describe(); // load cron-utils before the countdown starts
            // shift the clock so the next minute boundary is 2 s away instead of waiting up to a minute
            Instant real = Clock.systemUTC().instant();
            Instant shifted = real.truncatedTo(ChronoUnit.MINUTES).plusSeconds(60).minusMillis(2000);
            Clock clock = Clock.offset(Clock.systemUTC(), Duration.between(real, shifted));
            ExecutorTimers timers = new ExecutorTimers("scheduler-test", clock, Duration.ofMinutes(1));
            RecordingLauncher launcher = new RecordingLauncher(clock);
            ScheduleRepository store = new ScheduleRepository(db);
            Scheduler scheduler = new Scheduler(store, clock, timers, launcher, 1);
            Schedules schedules = new Schedules(store, scheduler, clock, Schedules.AgentCheck.ANY,
                    TestTenant.tenancy(db, clock), TestRuns.runs(db, dir));
            scheduler.start();
            Schedule s = schedules.create(TestTenant.ORG, TestTenant.APP, "owner", null, "@acme", "digest",
                    Json.MAPPER.readValue("{\"cron_expression\":\"* * * * *\"}", Schedules.ScheduleBody.class));

            Instant giveUp = s.nextRunAt().plusSeconds(5);
            while (launcher.launches.isEmpty() && clock.instant().isBefore(giveUp)) {
                Thread.sleep(20);
            }
            scheduler.close();
            timers.close();

            assertEquals(1, launcher.launches.size(), "the schedule fired");
            RecordingLauncher.Launch l = launcher.launches.get(0);
            assertEquals(s.nextRunAt(), l.fireTime());
            Duration lateness = Duration.between(l.fireTime(), l.launchedAt());
            assertTrue(!lateness.isNegative() && lateness.compareTo(Duration.ofSeconds(2)) < 0,
                    "started " + lateness.toMillis() + " ms after its due time");
        }
    }
}
