package dev.appstrate.server.schedule;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.timers.ManualTime;
import dev.appstrate.server.testing.TestRuns;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The durable scheduler on a real SQLite file, driven by a manual clock: no sleeping. */
class SchedulerTest {
    @TempDir
    Path dir;

    private ManualTime time;
    private Database db;
    private Scheduler scheduler;
    private Schedules schedules;
    private RecordingLauncher launcher;

    private void boot(Instant start, int catchUpMax) {
        if (time == null) {
            time = new ManualTime(start);
        }
        db = TestTenant.open(dir.resolve("appstrate.db"), time);
        launcher = launcher == null ? new RecordingLauncher(time) : launcher;
        ScheduleRepository store = new ScheduleRepository(db);
        RecordingLauncher l = launcher;
        scheduler = new Scheduler(store, time, time, l, catchUpMax);
        schedules = new Schedules(store, scheduler, time, Schedules.AgentCheck.ANY, TestTenant.tenancy(db, time),
                TestRuns.runs(db, dir));
        scheduler.start();
    }

    /** The server goes down: timers die with it, the database file stays. */
    private void shutDown() {
        scheduler.close();
        time.forgetTimers();
        db.close();
    }

    @AfterEach
    void close() {
        if (scheduler != null) {
            scheduler.close();
        }
        if (db != null) {
            db.close();
        }
    }

    private Schedule create(String json) {
        return schedules.create(TestTenant.ORG, TestTenant.APP, "owner", null, "@acme", "digest", body(json));
    }

    private static Schedules.ScheduleBody body(String json) {
        try {
            return Json.MAPPER.readValue(json, Schedules.ScheduleBody.class);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Instant at(String iso) {
        return Instant.parse(iso);
    }

    private Map<String, List<Instant>> fireTimesBySchedule() {
        return launcher.launches.stream().collect(Collectors.groupingBy(RecordingLauncher.Launch::scheduleId,
                Collectors.mapping(RecordingLauncher.Launch::fireTime, Collectors.toList())));
    }

    @Test
    void springForwardInParisSkipsTheMissingLocalTimeAsCronUtilsDefines() {
        boot(at("2025-03-28T12:00:00Z"), 1);
        Schedule daily = create("{\"cron_expression\":\"30 2 * * *\",\"timezone\":\"Europe/Paris\"}");
        Schedule twice = create("{\"cron_expression\":\"0,30 2 * * *\",\"timezone\":\"Europe/Paris\"}");
        assertEquals(at("2025-03-29T01:30:00Z"), daily.nextRunAt(), "02:30 CET");

        time.advanceTo(at("2025-04-01T12:00:00Z"));

        Map<String, List<Instant>> byId = fireTimesBySchedule();
        // 30 March: clocks jump 02:00 -> 03:00, so 02:00 and 02:30 do not exist that day and do not fire
        assertEquals(List.of(at("2025-03-29T01:30:00Z"), at("2025-03-31T00:30:00Z"), at("2025-04-01T00:30:00Z")),
                byId.get(daily.id()));
        assertEquals(List.of(at("2025-03-29T01:00:00Z"), at("2025-03-29T01:30:00Z"),
                at("2025-03-31T00:00:00Z"), at("2025-03-31T00:30:00Z"),
                at("2025-04-01T00:00:00Z"), at("2025-04-01T00:30:00Z")), byId.get(twice.id()));
        for (RecordingLauncher.Launch l : launcher.launches) {
            assertEquals(l.fireTime(), l.launchedAt(), "each run starts at its due instant, not on a polling tick");
        }
        assertEquals(at("2025-04-02T00:30:00Z"), schedules.get(TestTenant.APP, daily.id()).nextRunAt());
    }

    @Test
    void fallBackInParisFiresARepeatedLocalTimeAsCronUtilsDefines() {
        boot(at("2025-10-25T12:00:00Z"), 1);
        Schedule daily = create("{\"cron_expression\":\"30 2 * * *\",\"timezone\":\"Europe/Paris\"}");
        Schedule halfHourly = create("{\"cron_expression\":\"*/30 2 * * *\",\"timezone\":\"Europe/Paris\"}");

        time.advanceTo(at("2025-10-27T12:00:00Z"));

        Map<String, List<Instant>> byId = fireTimesBySchedule();
        // 26 October: 02:00-03:00 happens twice (CEST, then CET)
        assertEquals(List.of(at("2025-10-26T00:30:00Z"), at("2025-10-27T01:30:00Z")), byId.get(daily.id()),
                "a fixed 02:30 fires once, in its first (CEST) occurrence");
        assertEquals(List.of(at("2025-10-26T00:00:00Z"), at("2025-10-26T00:30:00Z"),
                at("2025-10-26T01:00:00Z"), at("2025-10-26T01:30:00Z"),
                at("2025-10-27T01:00:00Z"), at("2025-10-27T01:30:00Z")), byId.get(halfHourly.id()),
                "a stepped minute field fires in both offsets of the repeated hour");
        for (RecordingLauncher.Launch l : launcher.launches) {
            assertEquals(l.fireTime(), l.launchedAt());
        }
        assertEquals(at("2025-10-28T01:30:00Z"), schedules.get(TestTenant.APP, daily.id()).nextRunAt());
    }

    @Test
    void afterDowntimeOnlyTheMostRecentMissedOccurrenceRunsAndTheOthersAreRecordedSkipped() {
        boot(at("2025-06-02T10:05:00Z"), 1);
        Schedule hourly = create("{\"cron_expression\":\"0 * * * *\",\"input\":{\"topic\":\"news\"}}");
        time.advanceTo(at("2025-06-02T11:00:00Z"));
        assertEquals(List.of(at("2025-06-02T11:00:00Z")), launcher.fireTimes());

        shutDown();
        time.jumpTo(at("2025-06-02T15:30:00Z"));
        boot(null, 1);

        assertEquals(List.of(at("2025-06-02T11:00:00Z"), at("2025-06-02T15:00:00Z")), launcher.fireTimes());
        assertEquals("news", launcher.launches.get(1).input().get("topic").asText());
        List<ScheduleFire> fires = schedules.fires(hourly.id(), 10);
        assertEquals(List.of("started", "skipped", "skipped", "skipped", "started"),
                fires.stream().map(ScheduleFire::status).toList());
        assertEquals(List.of(at("2025-06-02T15:00:00Z"), at("2025-06-02T14:00:00Z"), at("2025-06-02T13:00:00Z"),
                at("2025-06-02T12:00:00Z"), at("2025-06-02T11:00:00Z")), fires.stream().map(ScheduleFire::fireTime).toList());
        assertEquals("run_2", fires.get(0).runId());
        Schedule after = schedules.get(TestTenant.APP, hourly.id());
        assertEquals(at("2025-06-02T16:00:00Z"), after.nextRunAt());
        assertEquals(at("2025-06-02T15:30:00Z"), after.lastRunAt());

        time.advanceTo(at("2025-06-02T16:00:00Z"));
        assertEquals(at("2025-06-02T16:00:00Z"), launcher.fireTimes().get(2));
    }

    @Test
    void theCatchUpLimitIsConfigurable() {
        boot(at("2025-06-02T10:05:00Z"), 3);
        Schedule hourly = create("{\"cron_expression\":\"0 * * * *\"}");
        shutDown();
        time.jumpTo(at("2025-06-02T16:20:00Z"));
        boot(null, 3);
        assertEquals(List.of(at("2025-06-02T14:00:00Z"), at("2025-06-02T15:00:00Z"), at("2025-06-02T16:00:00Z")),
                launcher.fireTimes());
        assertEquals(3, schedules.fires(hourly.id(), 20).stream().filter(f -> f.status().equals("skipped")).count());
    }

    @Test
    void aPausedScheduleHasNoNextRunAndResumingDoesNotReplayThePause() {
        boot(at("2025-06-02T10:00:00Z"), 1);
        Schedule s = create("{\"cron_expression\":\"*/15 * * * *\"}");
        time.advanceTo(at("2025-06-02T10:20:00Z"));
        assertEquals(List.of(at("2025-06-02T10:15:00Z")), launcher.fireTimes());

        Schedule paused = schedules.update(TestTenant.APP, "owner", null, s.id(), body("{\"enabled\":false}"));
        assertNull(paused.nextRunAt());
        assertNull(time.nextTimer(), "no timer is armed for a paused schedule");
        time.advanceTo(at("2025-06-02T12:07:00Z"));
        assertEquals(1, launcher.launches.size());

        Schedule resumed = schedules.update(TestTenant.APP, "owner", null, s.id(), body("{\"enabled\":true}"));
        assertEquals(at("2025-06-02T12:15:00Z"), resumed.nextRunAt());
        time.advanceTo(at("2025-06-02T12:31:00Z"));
        assertEquals(List.of(at("2025-06-02T10:15:00Z"), at("2025-06-02T12:15:00Z"), at("2025-06-02T12:30:00Z")),
                launcher.fireTimes());
        assertTrue(schedules.fires(s.id(), 10).stream().noneMatch(f -> f.status().equals("skipped")));
    }

    @Test
    void schedulesSurviveARestartWithTheDatabaseReopened() {
        boot(at("2025-06-02T08:59:00Z"), 1);
        Schedule s = create("{\"cron_expression\":\"0 9 * * 1-5\",\"timezone\":\"Europe/Paris\",\"name\":\"morning\"}");
        assertEquals(at("2025-06-03T07:00:00Z"), s.nextRunAt(), "09:00 CEST tomorrow, 9:00 Paris today is past");
        shutDown();

        time.jumpTo(at("2025-06-03T06:00:00Z"));
        boot(null, 1);
        assertEquals(at("2025-06-03T07:00:00Z"), time.nextTimer(), "the stored next run is re-armed at boot");
        time.advanceTo(at("2025-06-03T07:00:00Z"));
        assertEquals(List.of(at("2025-06-03T07:00:00Z")), launcher.fireTimes());
        assertEquals("morning", schedules.get(TestTenant.APP, s.id()).name());
        assertEquals(at("2025-06-04T07:00:00Z"), schedules.get(TestTenant.APP, s.id()).nextRunAt());
    }

    @Test
    void oneOccurrenceNeverStartsTwoRunsEvenWhenTwoSchedulersShareTheDatabase() {
        boot(at("2025-06-02T10:00:30Z"), 1);
        Schedule s = create("{\"cron_expression\":\"* * * * *\"}");
        // a second scheduler instance on the same file, as after a hasty restart with the old one still alive
        Scheduler twin = new Scheduler(new ScheduleRepository(db), time, time, launcher, 1);
        twin.start();
        time.advanceTo(at("2025-06-02T10:03:00Z"));
        twin.close();
        assertEquals(List.of(at("2025-06-02T10:01:00Z"), at("2025-06-02T10:02:00Z"), at("2025-06-02T10:03:00Z")),
                launcher.fireTimes());
        assertEquals(3, schedules.fires(s.id(), 10).size());
    }

    @Test
    void aRunThatCannotStartIsRecordedAsFailedWithTheReason() {
        boot(at("2025-06-02T10:00:30Z"), 1);
        Schedule s = create("{\"cron_expression\":\"* * * * *\"}");
        launcher.failWith = "No model configured";
        time.advanceTo(at("2025-06-02T10:01:00Z"));
        ScheduleFire f = schedules.fires(s.id(), 1).get(0);
        assertEquals("failed", f.status());
        assertEquals("No model configured", f.error());
        assertEquals("run_1", f.runId(), "the failed run the pipeline recorded");
        assertEquals(at("2025-06-02T10:02:00Z"), schedules.get(TestTenant.APP, s.id()).nextRunAt());
    }

    @Test
    void aLaunchThatThrowsAnErrorIsRecordedAsFailedAndLaterOccurrencesStillFire() {
        boot(at("2025-06-02T10:00:30Z"), 1);
        Schedule s = create("{\"cron_expression\":\"* * * * *\"}");
        launcher.crashOnce = new NoClassDefFoundError("dev/appstrate/Missing");
        time.advanceTo(at("2025-06-02T10:02:00Z"));
        assertEquals(List.of(at("2025-06-02T10:02:00Z")), launcher.fireTimes(), "the timer was re-armed after the Error");
        ScheduleFire crashed = schedules.fires(s.id(), 2).get(1);
        assertEquals(at("2025-06-02T10:01:00Z"), crashed.fireTime());
        assertEquals("failed", crashed.status(), "not left pending");
        assertTrue(crashed.error().contains("Run could not start"), crashed.error());
    }

    @Test
    void aChangeWhoseReArmCannotReadTheStoreKeepsATimerAndFiresOnceTheStoreIsBack() {
        boot(at("2025-06-02T10:00:30Z"), 1);
        create("{\"cron_expression\":\"* * * * *\"}");
        // a real failure of the real store: the table is away while a change re-arms (the write itself had committed)
        db.write(c -> dev.appstrate.server.store.Rows.update(c, "ALTER TABLE schedules RENAME TO schedules_away"));
        scheduler.changed();
        assertNotNull(time.nextTimer(), "a failed re-arm left no timer: nothing would fire until the next edit");
        db.write(c -> dev.appstrate.server.store.Rows.update(c, "ALTER TABLE schedules_away RENAME TO schedules"));
        time.advanceTo(at("2025-06-02T10:02:00Z"));
        assertEquals(List.of(at("2025-06-02T10:01:00Z"), at("2025-06-02T10:02:00Z")), launcher.fireTimes());
    }

    @Test
    void aTimerPassThatCannotReadTheStoreTriesAgainInFiveSeconds() {
        boot(at("2025-06-02T10:00:30Z"), 1);
        create("{\"cron_expression\":\"* * * * *\"}");
        db.write(c -> dev.appstrate.server.store.Rows.update(c, "ALTER TABLE schedules RENAME TO schedules_away"));
        time.advanceTo(at("2025-06-02T10:01:00Z")); // the 10:01 pass fails to read the store
        assertEquals(at("2025-06-02T10:01:05Z"), time.nextTimer(), "the failed pass armed its retry");
        db.write(c -> dev.appstrate.server.store.Rows.update(c, "ALTER TABLE schedules_away RENAME TO schedules"));
        time.advanceTo(at("2025-06-02T10:01:05Z"));
        assertEquals(List.of(at("2025-06-02T10:01:00Z")), launcher.fireTimes(), "the retry fired the occurrence the failed pass missed");
    }

    @Test
    void runNowStartsAnExtraRunEvenWhenPaused() {
        boot(at("2025-06-02T10:00:00Z"), 1);
        Schedule s = create("{\"cron_expression\":\"0 0 1 1 *\",\"enabled\":false}");
        ScheduleFire f = schedules.runNow(TestTenant.APP, s.id());
        assertEquals("started", f.status());
        assertEquals("manual", f.trigger());
        assertEquals(List.of(at("2025-06-02T10:00:00Z")), launcher.fireTimes());
        assertNull(schedules.get(TestTenant.APP, s.id()).nextRunAt());
    }

    @Test
    void editingTheExpressionMovesTheNextRunAndTheTimer() {
        boot(at("2025-06-02T10:00:00Z"), 1);
        Schedule s = create("{\"cron_expression\":\"0 12 * * *\"}");
        assertEquals(at("2025-06-02T12:00:00Z"), time.nextTimer());
        Schedule edited = schedules.update(TestTenant.APP, "owner", null, s.id(),
                body("{\"cron_expression\":\"0 18 * * *\",\"timezone\":\"America/New_York\"}"));
        assertEquals(at("2025-06-02T22:00:00Z"), edited.nextRunAt());
        assertEquals(at("2025-06-02T22:00:00Z"), time.nextTimer());
        time.advance(Duration.ofHours(13));
        assertEquals(List.of(at("2025-06-02T22:00:00Z")), launcher.fireTimes());
    }

    @Test
    void invalidExpressionsAndUnknownZonesAreRejectedNamingTheField() {
        boot(at("2025-06-02T10:00:00Z"), 1);
        ApiException bad = assertThrows(ApiException.class, () -> create("{\"cron_expression\":\"61 * * * *\"}"));
        assertEquals(400, bad.status());
        assertEquals("cron_expression", bad.param());
        ApiException zone = assertThrows(ApiException.class,
                () -> create("{\"cron_expression\":\"* * * * *\",\"timezone\":\"Mars/Olympus\"}"));
        assertEquals("timezone", zone.param());
        assertTrue(schedules.listByApplication(TestTenant.APP).isEmpty(), "nothing was created");
    }
}
