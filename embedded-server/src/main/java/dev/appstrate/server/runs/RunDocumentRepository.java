package dev.appstrate.server.runs;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The rows of {@code run_documents}; a run's rows cascade with it. */
public final class RunDocumentRepository {
    private static final String COLUMNS = "id,run_id,application_id,package_id,name,mime,size,sha256,presentation,created_at";
    private final Database db;

    public RunDocumentRepository(Database db) {
        this.db = db;
    }

    public void insert(RunDocument d) {
        db.write(c -> Rows.update(c, "INSERT INTO run_documents(" + COLUMNS + ") VALUES (?,?,?,?,?,?,?,?,?,?)", d.id(), d.runId(),
                d.applicationId(), d.packageId(), d.name(), d.mime(), d.size(), d.sha256(), d.presentation(), d.createdAt()));
    }

    /** The same bytes published under the same name by the same run (a retried publication). */
    public Optional<RunDocument> same(String runId, String name, String sha256) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM run_documents WHERE run_id=? AND name=? AND sha256=?",
                RunDocumentRepository::row, runId, name, sha256));
    }

    public long countOfRun(String runId) {
        return db.read(c -> Rows.count(c, "SELECT COUNT(*) FROM run_documents WHERE run_id=?", runId));
    }

    /** Documents produced per run, for a page of runs in one grouped query; runs without any are absent. */
    public Map<String, Long> outputCounts(Collection<String> runIds) {
        if (runIds.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(",", Collections.nCopies(runIds.size(), "?"));
        Map<String, Long> counts = new HashMap<>();
        db.read(c -> Rows.list(c, "SELECT run_id, COUNT(*) FROM run_documents WHERE run_id IN (" + marks + ") GROUP BY run_id",
                rs -> counts.put(rs.getString(1), rs.getLong(2)), runIds.toArray()));
        return counts;
    }

    /** Removes the row; false when no row of that application has the id. */
    public boolean delete(String applicationId, String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM run_documents WHERE application_id=? AND id=?", applicationId, id)) > 0;
    }

    public Optional<RunDocument> find(String applicationId, String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLUMNS + " FROM run_documents WHERE application_id=? AND id=?",
                RunDocumentRepository::row, applicationId, id));
    }

    /** Newest first; only {@code runId}'s, only {@code endUserId}'s runs' when not null. */
    public List<RunDocument> list(String applicationId, String runId, String endUserId, int limit, int offset) {
        Object[] args = args(applicationId, runId, endUserId, limit, offset);
        return db.read(c -> Rows.list(c, "SELECT " + COLUMNS + " FROM run_documents" + where(runId, endUserId)
                + " ORDER BY created_at DESC, id LIMIT ? OFFSET ?", RunDocumentRepository::row, args));
    }

    public long count(String applicationId, String runId, String endUserId) {
        Object[] args = args(applicationId, runId, endUserId);
        return db.read(c -> Rows.count(c, "SELECT COUNT(*) FROM run_documents" + where(runId, endUserId), args));
    }

    private static String where(String runId, String endUserId) {
        return " WHERE application_id=?" + (runId == null ? "" : " AND run_id=?")
                + (endUserId == null ? "" : " AND run_id IN (SELECT id FROM runs WHERE end_user_id=?)");
    }

    private static Object[] args(String applicationId, String runId, String endUserId, Object... page) {
        List<Object> args = new java.util.ArrayList<>(List.of(applicationId));
        if (runId != null) {
            args.add(runId);
        }
        if (endUserId != null) {
            args.add(endUserId);
        }
        args.addAll(List.of(page));
        return args.toArray();
    }

    private static RunDocument row(ResultSet rs) throws SQLException {
        return new RunDocument(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
                rs.getString(6), rs.getLong(7), rs.getString(8), rs.getString(9), rs.getString(10));
    }
}
