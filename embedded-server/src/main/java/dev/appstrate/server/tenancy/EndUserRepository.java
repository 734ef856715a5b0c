package dev.appstrate.server.tenancy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** End-users of an application, in the original's wire shape. */
public final class EndUserRepository {
    private static final String COLS = "id,application_id,org_id,external_id,name,email,metadata,created_at,updated_at";
    private final Database db;

    public EndUserRepository(Database db) {
        this.db = db;
    }

    /**
     * Inserts the end-user unless another one of its application holds its externalId or email; returns that field's name
     * ({@code externalId}, {@code email}) instead. The check and the write run under the application's row lock, so two
     * concurrent writers cannot both pass it (PostgreSQL, several instances); the unique indexes stay the last word.
     */
    public String insertUnlessTaken(ObjectNode eu, String orgId) {
        return db.write(c -> {
            String taken = taken(c, eu, null);
            if (taken == null) {
                Rows.update(c, "INSERT INTO end_users(" + COLS + ") VALUES (?,?,?,?,?,?,?,?,?)", eu.get("id").asText(),
                        eu.get("applicationId").asText(), orgId, text(eu, "externalId"), text(eu, "name"), text(eu, "email"),
                        eu.get("metadata").isNull() ? null : Json.string(eu.get("metadata")), eu.get("createdAt").asText(),
                        eu.get("updatedAt").asText());
            }
            return taken;
        });
    }

    /** Updates the end-user unless another one holds its new externalId or email (that field's name is returned instead). */
    public String updateUnlessTaken(ObjectNode eu) {
        return db.write(c -> {
            String taken = taken(c, eu, eu.get("id").asText());
            if (taken == null) {
                Rows.update(c, "UPDATE end_users SET external_id=?, name=?, email=?, metadata=?, updated_at=? WHERE id=?",
                        text(eu, "externalId"), text(eu, "name"), text(eu, "email"),
                        eu.get("metadata").isNull() ? null : Json.string(eu.get("metadata")), eu.get("updatedAt").asText(),
                        eu.get("id").asText());
            }
            return taken;
        });
    }

    private static String taken(Connection c, ObjectNode eu, String exceptId) throws SQLException {
        String appId = eu.get("applicationId").asText();
        Rows.lock(c, "applications", appId);
        String except = exceptId == null ? "" : exceptId;
        String externalId = text(eu, "externalId");
        if (externalId != null && Rows.exists(c, "SELECT 1 FROM end_users WHERE application_id=? AND external_id=? AND id<>?",
                appId, externalId, except)) {
            return "externalId";
        }
        String email = text(eu, "email");
        if (email != null && Rows.exists(c, "SELECT 1 FROM end_users WHERE application_id=? AND email=? AND id<>?",
                appId, email, except)) {
            return "email";
        }
        return null;
    }

    public boolean delete(String appId, String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM end_users WHERE application_id=? AND id=?", appId, id)) == 1;
    }

    public Optional<ObjectNode> byId(String appId, String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLS + " FROM end_users WHERE application_id=? AND id=?",
                EndUserRepository::map, appId, id));
    }

    public boolean exists(String appId, String id) {
        return db.read(c -> Rows.exists(c, "SELECT 1 FROM end_users WHERE id=? AND application_id=?", id, appId));
    }

    /** The names of each end-user of {@code ids} that still exists, by id. */
    public Map<String, EndUserNames> names(Collection<String> ids) {
        List<String> distinct = ids.stream().filter(Objects::nonNull).distinct().toList();
        if (distinct.isEmpty()) {
            return Map.of();
        }
        String marks = String.join(",", Collections.nCopies(distinct.size(), "?"));
        return db.read(c -> {
            Map<String, EndUserNames> out = new HashMap<>();
            for (String[] r : Rows.list(c, "SELECT id, name, email, external_id FROM end_users WHERE id IN (" + marks + ")",
                    rs -> new String[] {rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)},
                    distinct.toArray())) {
                out.put(r[0], new EndUserNames(r[1], r[2], r[3]));
            }
            return out;
        });
    }

    public Optional<EndUserNames> names(String id) {
        return Optional.ofNullable(names(List.of(id)).get(id));
    }

    /** Cursor page ordered createdAt DESC, id DESC; fetches limit+1 to know whether there is more. */
    public List<ObjectNode> page(String appId, int limit, String startingAfter, String endingBefore, String externalId,
                                 String email, String search) {
        return db.read(c -> {
            StringBuilder sql = new StringBuilder("SELECT " + COLS + " FROM end_users WHERE application_id=?");
            List<Object> args = new ArrayList<>();
            args.add(appId);
            if (externalId != null) {
                sql.append(" AND external_id=?");
                args.add(externalId);
            }
            if (email != null) {
                sql.append(" AND email=?");
                args.add(email);
            }
            if (search != null) {
                // lower() on both sides and an explicit escape: SQLite's LIKE ignores ASCII case and has no escape, PostgreSQL's the reverse
                sql.append(" AND (lower(name) LIKE lower(?) ESCAPE '\\' OR lower(email) LIKE lower(?) ESCAPE '\\'"
                        + " OR lower(external_id) LIKE lower(?) ESCAPE '\\')");
                String like = "%" + Rows.likeLiteral(search) + "%";
                args.add(like);
                args.add(like);
                args.add(like);
            }
            String cursor = startingAfter != null ? startingAfter : endingBefore;
            boolean reverse = endingBefore != null;
            if (cursor != null) {
                Optional<String[]> at = Rows.one(c, "SELECT created_at, id FROM end_users WHERE application_id=? AND id=?",
                        rs -> new String[]{rs.getString(1), rs.getString(2)}, appId, cursor);
                if (at.isPresent()) {
                    sql.append(reverse ? " AND (created_at > ? OR (created_at = ? AND id > ?))"
                            : " AND (created_at < ? OR (created_at = ? AND id < ?))");
                    args.add(at.get()[0]);
                    args.add(at.get()[0]);
                    args.add(at.get()[1]);
                }
            }
            sql.append(reverse ? " ORDER BY created_at ASC, id ASC" : " ORDER BY created_at DESC, id DESC").append(" LIMIT ?");
            args.add(limit + 1);
            List<ObjectNode> rows = Rows.list(c, sql.toString(), EndUserRepository::map, args.toArray());
            if (reverse) {
                java.util.Collections.reverse(rows);
            }
            return rows;
        });
    }

    private static String text(ObjectNode n, String f) {
        JsonNode v = n.get(f);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static ObjectNode map(ResultSet rs) throws SQLException {
        ObjectNode n = Json.object();
        n.put("id", rs.getString("id"));
        n.put("object", "end_user");
        n.put("applicationId", rs.getString("application_id"));
        n.put("name", rs.getString("name"));
        n.put("email", rs.getString("email"));
        n.put("externalId", rs.getString("external_id"));
        String meta = rs.getString("metadata");
        try {
            n.set("metadata", meta == null ? Json.MAPPER.nullNode() : Json.MAPPER.readTree(meta));
        } catch (Exception e) {
            n.putNull("metadata");
        }
        n.put("createdAt", rs.getString("created_at"));
        n.put("updatedAt", rs.getString("updated_at"));
        return n;
    }

    static String now(java.time.Clock clock) {
        return Times.iso(clock.instant());
    }
}
