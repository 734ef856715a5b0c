package dev.appstrate.server.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;

/** {@code run_transcript}: the runner's transcript events of a run, by sequence; deleted with the run. */
public final class TranscriptRepository {
    private final Database db;

    /** One stored event: its kind ({@code start}, {@code turn}, {@code tool_result}) and masked data. */
    public record Entry(int sequence, String kind, JsonNode data) {
    }

    public TranscriptRepository(Database db) {
        this.db = db;
    }

    /** Inside the caller's transaction (the event batch's); a replayed event changes nothing. */
    static void insert(Connection c, String runId, int sequence, String kind, String json) throws SQLException {
        Rows.update(c, "INSERT INTO run_transcript(run_id,seq,kind,data) VALUES (?,?,?,?) ON CONFLICT DO NOTHING", runId, sequence, kind, json);
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
