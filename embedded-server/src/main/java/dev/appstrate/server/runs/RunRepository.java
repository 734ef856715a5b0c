package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.runner.LogLimits;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.SqlWrite;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.stream.Collectors;

/** Runs and run logs in SQLite. The terminal status is written by one compare-and-set on {@code sink_closed_at}. */
public final class RunRepository {
    private final Database db;

    /** One log row to write: its message and data within {@link LogLimits} (the runner's own rule), whoever wrote them. */
    public record NewLog(String type, String level, String event, String message, JsonNode data) {
        public NewLog {
            message = LogLimits.message(message);
            data = LogLimits.data(data);
        }
    }

    public RunRepository(Database db) {
        this.db = db;
    }

    /** Inserts a pending run if the org is under its concurrency cap; false when over it (checked in the same transaction). */
    public boolean insertIfUnderCap(RunRecord r, int maxConcurrent) {
        return db.write(c -> {
            Rows.lock(c, "organizations", r.scope().orgId()); // the cap and the run number are check-then-insert: one writer per org
            if (maxConcurrent > 0 && Rows.count(c, "SELECT COUNT(*) FROM runs WHERE org_id=? AND status IN ('pending','running')",
                    r.scope().orgId()) >= maxConcurrent) {
                return false;
            }
            int number = (int) Rows.count(c, "SELECT COALESCE(MAX(run_number),0)+1 FROM runs WHERE application_id=? AND package_id IS NOT DISTINCT FROM ?",
                    r.scope().applicationId(), r.scope().packageId());
            Rows.update(c, "INSERT INTO runs(id,org_id,application_id,package_id,version_label,run_number,status,input,output,error,"
                            + "user_id,end_user_id,api_key_id,schedule_id,model_label,model_source,token_usage,cost,timeout_seconds,"
                            + "runner_kind,last_event_sequence,last_heartbeat_at,sink_closed_at,started_at,completed_at,duration) "
                            + "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                    r.id(), r.scope().orgId(), r.scope().applicationId(), r.scope().packageId(), r.scope().versionLabel(), number,
                    r.status(), json(r.setup().input()), json(r.outcome().output()), r.outcome().error(), r.origin().userId(),
                    r.origin().endUserId(), r.origin().apiKeyId(), r.origin().scheduleId(), r.setup().modelLabel(),
                    r.setup().modelSource(), json(r.outcome().tokenUsage()), r.outcome().cost(), r.setup().timeoutSeconds(),
                    r.setup().runnerKind(), 0, r.timing().lastHeartbeatAt(), r.timing().sinkClosedAt(), r.timing().startedAt(),
                    r.timing().completedAt(), r.timing().duration());
            return true;
        });
    }

    public Optional<RunRecord> find(String id) {
        return db.read(c -> Rows.one(c, "SELECT * FROM runs WHERE id=?", RunRepository::map, id));
    }

    public List<RunRecord> active() {
        return db.read(c -> Rows.list(c, "SELECT * FROM runs WHERE status IN ('pending','running') AND sink_closed_at IS NULL",
                RunRepository::map));
    }

    public List<RunRecord> stalled(String heartbeatBefore) {
        // only running runs: a pending run may be waiting for its workload (e.g. a first image build) and has no runner yet
        return db.read(c -> Rows.list(c, "SELECT * FROM runs WHERE status='running' AND sink_closed_at IS NULL "
                + "AND last_heartbeat_at < ? LIMIT 200", RunRepository::map, heartbeatBefore));
    }

    /** pending → running; false when the run is no longer pending. */
    public boolean markRunning(String id, String now) {
        return db.write(c -> Rows.update(c, "UPDATE runs SET status='running', last_heartbeat_at=? WHERE id=? AND status='pending' "
                + "AND sink_closed_at IS NULL", now, id)) == 1;
    }

    public void heartbeat(String id, String now) {
        db.write(c -> Rows.update(c, "UPDATE runs SET last_heartbeat_at=? WHERE id=? AND sink_closed_at IS NULL", now, id));
    }

    /** Persists one in-order event: advances the sequence, bumps liveness, writes the log row (if any). Returns its log id or 0. */
    public long persistEvent(String runId, String orgId, int sequence, String now, NewLog log, JsonNode tokenUsage, Double cost) {
        return db.write(c -> {
            int n = Rows.update(c, "UPDATE runs SET last_event_sequence=?, last_heartbeat_at=?, token_usage=COALESCE(?,token_usage), "
                    + "cost=COALESCE(?,cost), status=CASE WHEN status='pending' THEN 'running' ELSE status END "
                    + "WHERE id=? AND sink_closed_at IS NULL", sequence, now, json(tokenUsage), cost, runId);
            if (n == 0) {
                return -1L;
            }
            return log == null ? 0L : insertLog(c, runId, orgId, log, now);
        });
    }

    /** One in-order runner event ({@code sequence > 0}) or a server-side log ({@code sequence == 0}) of a group commit. */
    public record BatchEvent(String runId, String orgId, int sequence, String now, NewLog log, JsonNode tokenUsage, Double cost,
                             SqlWrite extra) {
    }

    /**
     * Writes a batch in one transaction: per run one UPDATE (its highest sequence, liveness, latest usage and cost), then
     * the log rows in order. Returns per event its log id, 0 when it writes no row, -1 when its run's sink is closed.
     */
    public long[] persistBatch(List<BatchEvent> events) {
        Map<String, BatchEvent> lastOfRun = new LinkedHashMap<>();
        Map<String, JsonNode> usageOfRun = new HashMap<>();
        Map<String, Double> costOfRun = new HashMap<>();
        for (BatchEvent e : events) {
            if (e.sequence() > 0) {
                lastOfRun.put(e.runId(), e);
                if (e.tokenUsage() != null) {
                    usageOfRun.put(e.runId(), e.tokenUsage());
                }
                if (e.cost() != null) {
                    costOfRun.put(e.runId(), e.cost());
                }
            }
        }
        return db.write(c -> {
            Set<String> closed = new HashSet<>();
            try (Rows.Batch up = Rows.batch(c, "UPDATE runs SET last_event_sequence=?, last_heartbeat_at=?, "
                    + "token_usage=COALESCE(?,token_usage), cost=COALESCE(?,cost), "
                    + "status=CASE WHEN status='pending' THEN 'running' ELSE status END WHERE id=? AND sink_closed_at IS NULL")) {
                for (BatchEvent last : lastOfRun.values()) {
                    if (up.update(last.sequence(), last.now(), json(usageOfRun.get(last.runId())), costOfRun.get(last.runId()),
                            last.runId()) == 0) {
                        closed.add(last.runId());
                    }
                }
            }
            long[] ids = new long[events.size()];
            try (Rows.Batch ins = Rows.batch(c, INSERT_LOG)) {
                for (int k = 0; k < ids.length; k++) {
                    BatchEvent e = events.get(k);
                    if (e.sequence() > 0 && closed.contains(e.runId())) {
                        ids[k] = -1;
                        continue;
                    }
                    if (e.extra() != null) {
                        e.extra().write(c);
                    }
                    if (e.log() != null) {
                        ids[k] = ins.key(logArgs(e.runId(), e.orgId(), e.log(), e.now()));
                    }
                }
            }
            return ids;
        });
    }

    /** Deletes those of the runs that have finished (their logs and transcripts cascade); answers the ids deleted. */
    public List<String> deleteFinished(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return List.of();
        }
        String marks = String.join(",", Collections.nCopies(runIds.size(), "?"));
        return db.write(c -> {
            List<String> done = Rows.list(c, "SELECT id FROM runs WHERE id IN (" + marks + ") AND status NOT IN ('pending','running')",
                    rs -> rs.getString(1), runIds.toArray());
            if (!done.isEmpty()) {
                Rows.update(c, "DELETE FROM runs WHERE id IN (" + String.join(",", Collections.nCopies(done.size(), "?")) + ")",
                        done.toArray());
            }
            return done;
        });
    }

    /** Those of the runs that still exist. */
    public Set<String> existing(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Set.of();
        }
        String marks = String.join(",", Collections.nCopies(runIds.size(), "?"));
        return new HashSet<>(db.read(c -> Rows.list(c, "SELECT id FROM runs WHERE id IN (" + marks + ")", rs -> rs.getString(1),
                runIds.toArray())));
    }

    /** The runs of every schedule of an application that has runs, by schedule id. */
    public Map<String, ScheduleRuns> runsBySchedule(String applicationId) {
        List<Map.Entry<String, ScheduleRuns>> rows = db.read(c -> Rows.list(c, "SELECT schedule_id, "
                + "SUM(CASE WHEN status IN ('pending','running') THEN 1 ELSE 0 END), MAX(run_number) FROM runs "
                + "WHERE application_id=? AND schedule_id IS NOT NULL GROUP BY schedule_id",
                rs -> Map.entry(rs.getString(1), new ScheduleRuns(rs.getInt(2), Rows.integer(rs, 3))), applicationId));
        return rows.stream().collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue));
    }

    public long appendLog(String runId, String orgId, NewLog log, String now) {
        return db.write(c -> insertLog(c, runId, orgId, log, now));
    }

    private static final String INSERT_LOG = "INSERT INTO run_logs(run_id,org_id,type,level,event,message,data,created_at) "
            + "VALUES (?,?,?,?,?,?,?,?) RETURNING id";

    private static long insertLog(Connection c, String runId, String orgId, NewLog log, String now) throws SQLException {
        return Rows.key(c, INSERT_LOG, logArgs(runId, orgId, log, now));
    }

    private static Object[] logArgs(String runId, String orgId, NewLog log, String now) {
        return new Object[] {runId, orgId, log.type(), log.level(), log.event(), log.message(),
                log.data() == null || log.data().isNull() ? null : Json.string(log.data()), now};
    }

    /** The terminal compare-and-set: exactly one caller closes the sink and sets the final status. */
    public boolean finalizeRun(String id, String status, JsonNode output, String error, JsonNode tokenUsage, Double cost,
                               String now, long durationMs) {
        return db.write(c -> Rows.update(c, "UPDATE runs SET status=?, output=COALESCE(?,output), error=?, "
                        + "token_usage=COALESCE(?,token_usage), cost=COALESCE(?,cost), completed_at=?, duration=?, sink_closed_at=? "
                        + "WHERE id=? AND sink_closed_at IS NULL", status, json(output), error, json(tokenUsage), cost, now,
                durationMs, now, id) == 1);
    }

    public List<RunRecord> list(RunFilter f, int limit, int offset) {
        return db.read(c -> {
            List<Object> args = new ArrayList<>();
            String where = f.where(args);
            args.add(limit);
            args.add(offset);
            return Rows.list(c, "SELECT * FROM runs" + where + " ORDER BY started_at DESC, id DESC LIMIT ? OFFSET ?",
                    RunRepository::map, args.toArray());
        });
    }

    public long count(RunFilter f) {
        return db.read(c -> {
            List<Object> args = new ArrayList<>();
            String where = f.where(args);
            return Rows.count(c, "SELECT COUNT(*) FROM runs" + where, args.toArray());
        });
    }

    /** Deletes an agent's finished runs, only {@code endUserId}'s unless null (logs, transcripts, document rows cascade); the ids deleted. */
    public List<String> deleteFinishedOfPackage(String appId, String packageId, String endUserId) {
        Object[] args = ofPackage(appId, packageId, endUserId);
        String where = " WHERE application_id=? AND package_id=?" + (endUserId == null ? "" : " AND end_user_id=?")
                + " AND status NOT IN ('pending','running')";
        return db.write(c -> {
            List<String> done = Rows.list(c, "SELECT id FROM runs" + where, rs -> rs.getString(1), args);
            Rows.update(c, "DELETE FROM runs" + where, args);
            return done;
        });
    }

    /** An agent's active runs, only {@code endUserId}'s unless null. */
    public long countActiveOfPackage(String appId, String packageId, String endUserId) {
        return db.read(c -> Rows.count(c, "SELECT COUNT(*) FROM runs WHERE application_id=? AND package_id=?"
                + (endUserId == null ? "" : " AND end_user_id=?") + " AND status IN ('pending','running')",
                ofPackage(appId, packageId, endUserId)));
    }

    private static Object[] ofPackage(String appId, String packageId, String endUserId) {
        return endUserId == null ? new Object[] {appId, packageId} : new Object[] {appId, packageId, endUserId};
    }

    private static final int SIZE_CHUNK = 16; // rows sized at first for a page; each further round sizes four times as many
    private static final String LOGS_AFTER = " FROM run_logs l WHERE l.run_id=? AND l.id>? AND (CASE l.level WHEN 'debug' THEN 0 "
            + "WHEN 'info' THEN 1 WHEN 'warn' THEN 2 ELSE 3 END)>=? ORDER BY l.id LIMIT ?";
    private static final String APP_LOGS_AFTER = " FROM run_logs l JOIN runs r ON r.id=l.run_id WHERE r.application_id=? AND l.id>? ORDER BY l.id LIMIT ?";

    /** A page of logs and whether more follow it. */
    public record LogPage(List<ObjectNode> rows, boolean more) { }

    /**
     * Up to {@code limit} logs after {@code since}, fewer when their messages and data pass {@code maxChars} (never fewer
     * than one): a run may log megabytes per line, and a page is built in memory.
     */
    public LogPage logPage(String runId, long since, int minLevel, int limit, long maxChars) {
        return sizedPage(LOGS_AFTER, (after, rows) -> new Object[] {runId, after, minLevel, rows}, since, limit, maxChars);
    }

    /** Logs of every run of an application after an id (SSE replay for the all-runs stream), bounded as {@link #logPage}. */
    public LogPage logsOfApplication(String appId, long since, int limit, long maxChars) {
        return sizedPage(APP_LOGS_AFTER, (after, rows) -> new Object[] {appId, after, rows}, since, limit, maxChars);
    }

    /** {@code where} gives {@code from}'s arguments for rows after an id, up to a number of rows. */
    private LogPage sizedPage(String from, BiFunction<Long, Integer, Object[]> where, long since, int limit, long maxChars) {
        return db.read(c -> {
            // sizes read in growing chunks, no further than the page needs: measuring a text reads all of it
            int n = 0;
            boolean more = false;
            long after = since;
            long total = 0;
            for (int chunk = Math.min(SIZE_CHUNK, limit + 1); chunk > 0 && !more; chunk = Math.min(chunk * 4, limit + 1 - n)) {
                List<long[]> sized = Rows.list(c, "SELECT l.id, COALESCE(LENGTH(l.message),0) + COALESCE(LENGTH(CAST(l.data AS TEXT)),0)"
                        + from, rs -> new long[] {rs.getLong(1), rs.getLong(2)}, where.apply(after, chunk));
                for (long[] row : sized) {
                    if (n == limit || (n > 0 && total + row[1] > maxChars)) {
                        more = true;
                        break;
                    }
                    total += row[1];
                    n++;
                    after = row[0];
                }
                if (sized.size() < chunk) {
                    break;
                }
            }
            return new LogPage(n == 0 ? List.of() : Rows.list(c, "SELECT l.*" + from, RunRepository::logJson,
                    where.apply(since, n)), more);
        });
    }

    public static ObjectNode logJson(ResultSet rs) throws SQLException {
        ObjectNode n = Json.object();
        n.put("id", rs.getLong("id"));
        n.put("runId", rs.getString("run_id"));
        n.put("orgId", rs.getString("org_id"));
        n.put("type", rs.getString("type"));
        n.put("level", rs.getString("level"));
        n.put("event", rs.getString("event"));
        n.put("message", rs.getString("message"));
        n.set("data", parse(rs.getString("data")));
        n.put("createdAt", rs.getString("created_at"));
        return n;
    }

    static RunRecord map(ResultSet rs) throws SQLException {
        long duration = rs.getLong("duration");
        boolean noDuration = rs.wasNull();
        double cost = rs.getDouble("cost");
        boolean noCost = rs.wasNull();
        return new RunRecord(rs.getString("id"), rs.getString("status"),
                new RunRecord.Scope(rs.getString("org_id"), rs.getString("application_id"), rs.getString("package_id"),
                        rs.getString("version_label"), rs.getInt("run_number")),
                new RunRecord.Origin(rs.getString("user_id"), rs.getString("end_user_id"), rs.getString("api_key_id"),
                        rs.getString("schedule_id")),
                new RunRecord.Setup(parse(rs.getString("input")), rs.getString("model_label"), rs.getString("model_source"),
                        rs.getInt("timeout_seconds"), rs.getString("runner_kind")),
                new RunRecord.Timing(rs.getString("started_at"), rs.getString("completed_at"), noDuration ? null : duration,
                        rs.getString("last_heartbeat_at"), rs.getInt("last_event_sequence"), rs.getString("sink_closed_at")),
                new RunRecord.Outcome(parse(rs.getString("output")), rs.getString("error"), parse(rs.getString("token_usage")),
                        noCost ? null : cost));
    }

    private static JsonNode parse(String s) {
        if (s == null) {
            return Json.MAPPER.nullNode();
        }
        try {
            return Json.MAPPER.readTree(s);
        } catch (Exception e) {
            return Json.MAPPER.nullNode();
        }
    }

    private static String json(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : Json.string(n);
    }
}
