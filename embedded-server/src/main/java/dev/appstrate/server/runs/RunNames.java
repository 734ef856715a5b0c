package dev.appstrate.server.runs;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Display names the original denormalizes onto a run (api_key_name, end_user_name, schedule_name), read at answer time. */
public final class RunNames {
    /** The names of one run; null where the run has no such origin or it was deleted. */
    public record Names(String userName, String endUserName, String apiKeyName, String scheduleName) {
        public static final Names NONE = new Names(null, null, null, null);
    }

    private final Database db;

    public RunNames(Database db) {
        this.db = db;
    }

    public Names of(RunRecord r) {
        if (r.endUserId() == null && r.apiKeyId() == null && r.scheduleId() == null) {
            return Names.NONE;
        }
        return db.read(c -> new Names(null,
                r.endUserId() == null ? null : Rows.one(c, "SELECT COALESCE(name, external_id, email) FROM end_users WHERE id=?",
                        rs -> rs.getString(1), r.endUserId()).orElse(null),
                r.apiKeyId() == null ? null : Rows.one(c, "SELECT name FROM api_keys WHERE id=?", rs -> rs.getString(1),
                        r.apiKeyId()).orElse(null),
                r.scheduleId() == null ? null : Rows.one(c, "SELECT name FROM schedules WHERE id=?", rs -> rs.getString(1),
                        r.scheduleId()).orElse(null)));
    }

    /** For one list: runs sharing a key, end-user and schedule cost one lookup between them, not one each. */
    public Function<RunRecord, Names> memo() {
        Map<List<String>, Names> seen = new HashMap<>();
        return r -> seen.computeIfAbsent(Arrays.asList(r.endUserId(), r.apiKeyId(), r.scheduleId()), k -> of(r));
    }
}
