package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** The {@code schedules} and {@code schedule_fires} tables. */
public final class ScheduleRepository {
    private static final String COLUMNS = "id, org_id, application_id, package_id, user_id, end_user_id, name, enabled, "
            + "cron_expression, timezone, input, model_id_override, generation_config_override, proxy_id_override, "
            + "version_override, connection_overrides, dependency_overrides, last_run_at, next_run_at, created_at, updated_at";
    private static final String FIRE_COLUMNS = "schedule_id, fire_time, trigger, status, run_id, error, created_at";

    private final Database db;

    public ScheduleRepository(Database db) {
        this.db = db;
    }

    void insert(Schedule s) {
        List<Object> args = new ArrayList<>(List.of(s.id(), s.orgId(), s.applicationId(), s.packageId()));
        args.addAll(mutable(s));
        args.addAll(Arrays.asList(Rows.epochMillis(s.lastRunAt()), Rows.epochMillis(s.nextRunAt()), Times.iso(s.createdAt()),
                Times.iso(s.updatedAt())));
        db.write(c -> Rows.update(c, "INSERT INTO schedules (" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                args.toArray()));
    }

    /** Rewrites every mutable column. */
    void update(Schedule s) {
        List<Object> args = new ArrayList<>(mutable(s));
        args.addAll(Arrays.asList(Rows.epochMillis(s.nextRunAt()), Times.iso(s.updatedAt()), s.id()));
        db.write(c -> Rows.update(c, "UPDATE schedules SET user_id=?, end_user_id=?, name=?, enabled=?, cron_expression=?, "
                + "timezone=?, input=?, model_id_override=?, generation_config_override=?, proxy_id_override=?, "
                + "version_override=?, connection_overrides=?, dependency_overrides=?, next_run_at=?, updated_at=? WHERE id=?",
                args.toArray()));
    }

    /** Turns a schedule off (kept, as the user made it: re-enabling it arms it again). */
    void disable(String id, Instant now) {
        db.write(c -> Rows.update(c, "UPDATE schedules SET enabled=0, next_run_at=NULL, updated_at=? WHERE id=?", Times.iso(now), id));
    }

    boolean delete(String applicationId, String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM schedules WHERE id=? AND application_id=?", id, applicationId)) > 0;
    }

    int deleteForPackage(String packageId) {
        return db.write(c -> Rows.update(c, "DELETE FROM schedules WHERE package_id=?", packageId));
    }

    Optional<Schedule> find(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM schedules WHERE id=?", ScheduleRepository::schedule, id));
    }

    Optional<Schedule> find(String applicationId, String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM schedules WHERE id=? AND application_id=?",
                ScheduleRepository::schedule, id, applicationId));
    }

    List<Schedule> listByApplication(String applicationId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS + " FROM schedules WHERE application_id=? ORDER BY created_at, id",
                ScheduleRepository::schedule, applicationId));
    }

    List<Schedule> listByAgent(String applicationId, String packageId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS
                + " FROM schedules WHERE application_id=? AND package_id=? ORDER BY created_at, id", ScheduleRepository::schedule,
                applicationId, packageId));
    }

    /** Enabled schedules whose next occurrence is at or before {@code now}. */
    List<Schedule> due(Instant now) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS
                + " FROM schedules WHERE enabled=1 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at",
                ScheduleRepository::schedule, now.toEpochMilli()));
    }

    /** The earliest next occurrence over all enabled schedules. */
    Optional<Instant> earliestNextRun() {
        return db.read(c -> Rows.one(c, "SELECT MIN(next_run_at) FROM schedules WHERE enabled=1 AND next_run_at IS NOT NULL",
                rs -> Rows.millis(rs, 1)));
    }

    List<ScheduleFire> fires(String scheduleId, int limit) {
        return db.read(c -> Rows.list(c, "SELECT " + FIRE_COLUMNS
                + " FROM schedule_fires WHERE schedule_id=? ORDER BY fire_time DESC LIMIT ?", ScheduleRepository::fire,
                scheduleId, limit));
    }

    Optional<ScheduleFire> fire(String scheduleId, Instant fireTime) {
        return db.read(c -> Rows.one(c, "SELECT " + FIRE_COLUMNS + " FROM schedule_fires WHERE schedule_id=? AND fire_time=?",
                ScheduleRepository::fire, scheduleId, fireTime.toEpochMilli()));
    }

    /**
     * Moves a due schedule on to {@code next} unless it was edited or paused meanwhile (its new state wins: nothing is
     * claimed), records the {@code skipped} occurrences and claims those of {@code fire} no other server claimed first.
     * Answers the occurrences this call claimed, to be launched.
     */
    List<Instant> claimDue(Schedule s, Instant next, List<Instant> skipped, List<Instant> fire, Instant now) {
        return db.write(c -> {
            if (Rows.update(c, "UPDATE schedules SET next_run_at=? WHERE id=? AND enabled=1 AND next_run_at=?",
                    Rows.epochMillis(next), s.id(), s.nextRunAt().toEpochMilli()) == 0) {
                return List.<Instant>of();
            }
            for (Instant t : skipped) {
                claimFire(c, s.id(), t, ScheduleFire.CRON, "skipped", now);
            }
            List<Instant> mine = new ArrayList<>();
            for (Instant t : fire) {
                if (claimFire(c, s.id(), t, ScheduleFire.CRON, "pending", now)) {
                    mine.add(t);
                }
            }
            return mine;
        });
    }

    /** Claims one occurrence started by hand; false when it already has a fire. */
    boolean claimFire(String scheduleId, Instant fireTime, String trigger, String status, Instant now) {
        return db.write(c -> claimFire(c, scheduleId, fireTime, trigger, status, now));
    }

    /** Inserts a fire unless that occurrence already has one; true when this call claimed it. */
    private static boolean claimFire(Connection c, String scheduleId, Instant fireTime, String trigger, String status,
                                     Instant now) throws SQLException {
        return Rows.update(c, "INSERT INTO schedule_fires (schedule_id, fire_time, trigger, status, created_at) "
                + "VALUES (?,?,?,?,?) ON CONFLICT (schedule_id, fire_time) DO NOTHING", scheduleId, fireTime.toEpochMilli(),
                trigger, status, Times.iso(now)) == 1;
    }

    void finishFire(String scheduleId, Instant fireTime, String status, String runId, String error) {
        db.write(c -> Rows.update(c, "UPDATE schedule_fires SET status=?, run_id=?, error=? WHERE schedule_id=? AND fire_time=?",
                status, runId, error, scheduleId, fireTime.toEpochMilli()));
    }

    void touchLastRun(String scheduleId, Instant at) {
        db.write(c -> Rows.update(c, "UPDATE schedules SET last_run_at=? WHERE id=?", at.toEpochMilli(), scheduleId));
    }

    /** Fires left pending by a crash never got their run started: they become failed, never re-launched. */
    int failInterruptedFires() {
        return db.write(c -> Rows.update(c, "UPDATE schedule_fires SET status='failed', "
                + "error='The server stopped before the run started' WHERE status='pending'"));
    }

    /** A schedule's display name, for other features that show where a run came from. */
    public Optional<String> name(String id) {
        return db.read(c -> Rows.one(c, "SELECT name FROM schedules WHERE id=?", rs -> rs.getString(1), id));
    }

    /** Binds user_id … dependency_overrides, in column order. */
    private static List<Object> mutable(Schedule s) {
        return Arrays.asList(s.userId(), s.endUserId(), s.name(), s.enabled(), s.cronExpression(), s.timezone(), json(s.input()),
                s.modelIdOverride(), json(s.generationConfigOverride()), s.proxyIdOverride(), s.versionOverride(),
                json(s.connectionOverrides()), json(s.dependencyOverrides()));
    }

    private static Schedule schedule(ResultSet rs) throws SQLException {
        return new Schedule(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getString(7), rs.getInt(8) == 1, rs.getString(9), rs.getString(10),
                node(rs.getString(11)), rs.getString(12), node(rs.getString(13)), rs.getString(14),
                rs.getString(15), node(rs.getString(16)), node(rs.getString(17)), Rows.millis(rs, 18), Rows.millis(rs, 19),
                Instant.parse(rs.getString(20)), Instant.parse(rs.getString(21)));
    }

    private static ScheduleFire fire(ResultSet rs) throws SQLException {
        return new ScheduleFire(rs.getString(1), Instant.ofEpochMilli(rs.getLong(2)), rs.getString(3), rs.getString(4),
                rs.getString(5), rs.getString(6), Instant.parse(rs.getString(7)));
    }

    private static String json(JsonNode n) {
        return n == null || n.isNull() ? null : Json.string(n);
    }

    private static JsonNode node(String s) {
        if (s == null) {
            return null;
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (IOException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }
}
