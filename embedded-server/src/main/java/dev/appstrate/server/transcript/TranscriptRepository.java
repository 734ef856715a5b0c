package dev.appstrate.server.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.SqlWrite;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@code run_transcript}: the runner's transcript events of a run, by sequence; deleted with the run. */
public final class TranscriptRepository {
    private final Database db;

    /** One stored event: its kind ({@code start}, {@code turn}, {@code tool_result}) and masked data. */
    public record Entry(int sequence, String kind, JsonNode data) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(TranscriptRepository.class);

    public TranscriptRepository(Database db) {
        this.db = db;
    }

    /** The write of one transcript event, run inside the event batch's transaction; a replayed event changes nothing. */
    static SqlWrite insert(String runId, int sequence, String kind, String json) {
        return c -> insertOrWarn(c, runId, sequence, kind, json);
    }

    private static void insertOrWarn(Connection c, String runId, int sequence, String kind, String json) {
        try {
            // a savepoint: on PostgreSQL a failed statement would otherwise abort the whole event batch's transaction
            Savepoint sp = c.setSavepoint();
            try {
                Rows.update(c, "INSERT INTO run_transcript(run_id,seq,kind,data) VALUES (?,?,?,?) ON CONFLICT DO NOTHING", runId,
                        sequence, kind, json);
                c.releaseSavepoint(sp);
            } catch (SQLException e) {
                c.rollback(sp);
                throw e;
            }
        } catch (SQLException e) {
            // the inspector loses a step; the event, the run and its log are stored as usual
            LOG.warn("Transcript event not stored runId={} sequence={} error={}", runId, sequence, e.toString());
        }
    }

    public List<Entry> list(String runId) {
        return db.read(c -> Rows.list(c, "SELECT seq,kind,data FROM run_transcript WHERE run_id=? ORDER BY seq",
                rs -> new Entry(rs.getInt(1), rs.getString(2), tree(rs.getString(3))), runId));
    }

    private static JsonNode tree(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (java.io.IOException e) {
            return Json.object();
        }
    }
}
