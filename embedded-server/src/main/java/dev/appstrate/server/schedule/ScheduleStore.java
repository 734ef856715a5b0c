package dev.appstrate.server.schedule;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The {@code schedules} and {@code schedule_fires} tables. */
public final class ScheduleStore {
    private static final String COLUMNS = "id, org_id, application_id, package_id, user_id, end_user_id, name, enabled, "
            + "cron_expression, timezone, input, model_id_override, generation_config_override, proxy_id_override, "
            + "version_override, connection_overrides, dependency_overrides, last_run_at, next_run_at, created_at, updated_at";
    private static final String FIRE_COLUMNS = "schedule_id, fire_time, trigger, status, run_id, error, created_at";

    private final Database db;

    public ScheduleStore(Database db) {
        this.db = db;
    }

    Database database() {
        return db;
    }

    void insert(Schedule s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedules (" + COLUMNS
                    + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)")) {
                bind(ps, s);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Rewrites every mutable column. */
    void update(Schedule s) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET user_id=?, end_user_id=?, name=?, enabled=?, "
                    + "cron_expression=?, timezone=?, input=?, model_id_override=?, generation_config_override=?, "
                    + "proxy_id_override=?, version_override=?, connection_overrides=?, dependency_overrides=?, "
                    + "next_run_at=?, updated_at=? WHERE id=?")) {
                int i = bindMutable(ps, 1, s);
                Rows.setMillis(ps, i++, s.nextRunAt());
                ps.setString(i++, Times.iso(s.updatedAt()));
                ps.setString(i, s.id());
                ps.executeUpdate();
            }
            return null;
        });
    }

    boolean delete(String applicationId, String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM schedules WHERE id=? AND application_id=?")) {
                ps.setString(1, id);
                ps.setString(2, applicationId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    Optional<Schedule> find(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM schedules WHERE id=?", ScheduleStore::schedule, id));
    }

    Optional<Schedule> find(String applicationId, String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM schedules WHERE id=? AND application_id=?",
                ScheduleStore::schedule, id, applicationId));
    }

    List<Schedule> listByApplication(String applicationId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS + " FROM schedules WHERE application_id=? ORDER BY created_at, id",
                ScheduleStore::schedule, applicationId));
    }

    List<Schedule> listByAgent(String applicationId, String packageId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS
                + " FROM schedules WHERE application_id=? AND package_id=? ORDER BY created_at, id", ScheduleStore::schedule,
                applicationId, packageId));
    }

    /** Enabled schedules whose next occurrence is at or before {@code now}. */
    List<Schedule> due(Instant now) {
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS
                + " FROM schedules WHERE enabled=1 AND next_run_at IS NOT NULL AND next_run_at <= ? ORDER BY next_run_at",
                ScheduleStore::schedule, now.toEpochMilli()));
    }

    /** The earliest next occurrence over all enabled schedules. */
    Optional<Instant> earliestNextRun() {
        return db.read(c -> Rows.one(c, "SELECT MIN(next_run_at) FROM schedules WHERE enabled=1 AND next_run_at IS NOT NULL",
                rs -> Rows.millis(rs, 1)));
    }

    List<ScheduleFire> fires(String scheduleId, int limit) {
        return db.read(c -> Rows.list(c, "SELECT " + FIRE_COLUMNS
                + " FROM schedule_fires WHERE schedule_id=? ORDER BY fire_time DESC LIMIT ?", ScheduleStore::fire,
                scheduleId, limit));
    }

    Optional<ScheduleFire> fire(String scheduleId, Instant fireTime) {
        return db.read(c -> Rows.one(c, "SELECT " + FIRE_COLUMNS + " FROM schedule_fires WHERE schedule_id=? AND fire_time=?",
                ScheduleStore::fire, scheduleId, fireTime.toEpochMilli()));
    }

    /** Inserts a fire unless that occurrence already has one; true when this call claimed it. */
    static boolean claimFire(Connection c, String scheduleId, Instant fireTime, String trigger, String status,
                             Instant now) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schedule_fires (schedule_id, fire_time, trigger, status, "
                + "created_at) VALUES (?,?,?,?,?) ON CONFLICT (schedule_id, fire_time) DO NOTHING")) {
            ps.setString(1, scheduleId);
            ps.setLong(2, fireTime.toEpochMilli());
            ps.setString(3, trigger);
            ps.setString(4, status);
            ps.setString(5, Times.iso(now));
            return ps.executeUpdate() == 1;
        }
    }

    void finishFire(String scheduleId, Instant fireTime, String status, String runId, String error) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement(
                    "UPDATE schedule_fires SET status=?, run_id=?, error=? WHERE schedule_id=? AND fire_time=?")) {
                ps.setString(1, status);
                ps.setString(2, runId);
                ps.setString(3, error);
                ps.setString(4, scheduleId);
                ps.setLong(5, fireTime.toEpochMilli());
                ps.executeUpdate();
            }
            return null;
        });
    }

    void touchLastRun(String scheduleId, Instant at) {
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedules SET last_run_at=? WHERE id=?")) {
                ps.setLong(1, at.toEpochMilli());
                ps.setString(2, scheduleId);
                ps.executeUpdate();
            }
            return null;
        });
    }

    /** Fires left pending by a crash never got their run started: they become failed, never re-launched. */
    int failInterruptedFires() {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE schedule_fires SET status='failed', "
                    + "error='The server stopped before the run started' WHERE status='pending'")) {
                return ps.executeUpdate();
            }
        });
    }

    private static void bind(PreparedStatement ps, Schedule s) throws SQLException {
        int i = 1;
        ps.setString(i++, s.id());
        ps.setString(i++, s.orgId());
        ps.setString(i++, s.applicationId());
        ps.setString(i++, s.packageId());
        i = bindMutable(ps, i, s);
        Rows.setMillis(ps, i++, s.lastRunAt());
        Rows.setMillis(ps, i++, s.nextRunAt());
        ps.setString(i++, Times.iso(s.createdAt()));
        ps.setString(i, Times.iso(s.updatedAt()));
    }

    /** Binds user_id … dependency_overrides from parameter {@code i}; returns the next parameter index. */
    private static int bindMutable(PreparedStatement ps, int i, Schedule s) throws SQLException {
        ps.setString(i++, s.userId());
        ps.setString(i++, s.endUserId());
        ps.setString(i++, s.name());
        ps.setInt(i++, s.enabled() ? 1 : 0);
        ps.setString(i++, s.cronExpression());
        ps.setString(i++, s.timezone());
        ps.setString(i++, json(s.input()));
        ps.setString(i++, s.modelIdOverride());
        ps.setString(i++, json(s.generationConfigOverride()));
        ps.setString(i++, s.proxyIdOverride());
        ps.setString(i++, s.versionOverride());
        ps.setString(i++, json(s.connectionOverrides()));
        ps.setString(i++, json(s.dependencyOverrides()));
        return i;
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
