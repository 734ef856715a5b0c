package dev.appstrate.server.tenancy;

import dev.appstrate.server.json.Json;
import dev.appstrate.server.json.JsonTrees;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Applications of the organization; lookups by id are cached since every app-scoped request does one. */
public final class ApplicationRepository {
    private static final String COLS = "id,org_id,name,is_default,settings,created_by,created_at,updated_at";
    private final Database db;
    private final Map<String, Optional<Application>> cache = new ConcurrentHashMap<>();

    private final java.util.List<java.util.function.Consumer<String>> deleteListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    public ApplicationRepository(Database db) {
        this.db = db;
    }

    public Optional<Application> byId(String id) {
        return cache.computeIfAbsent(id, k -> db.read(c -> Rows.one(c, "SELECT " + COLS + " FROM applications WHERE id=?",
                ApplicationRepository::map, k)));
    }

    public List<Application> all(String orgId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLS + " FROM applications WHERE org_id=? ORDER BY created_at DESC, id DESC",
                ApplicationRepository::map, orgId));
    }

    /** The organization's Default application, created at first boot. */
    public Optional<String> defaultId(String orgId) {
        return db.read(c -> Rows.one(c, "SELECT id FROM applications WHERE org_id=? AND is_default=1", rs -> rs.getString(1),
                orgId));
    }

    public void insert(Application a) {
        db.write(c -> Rows.update(c, "INSERT INTO applications(" + COLS + ") VALUES (?,?,?,?,?,?,?,?)", a.id(), a.orgId(),
                a.name(), a.isDefault(), JsonTrees.string(a.settings()), a.createdBy(), Times.iso(a.createdAt()),
                Times.iso(a.updatedAt())));
        cache.remove(a.id());
    }

    public void update(Application a) {
        db.write(c -> Rows.update(c, "UPDATE applications SET name=?, settings=?, updated_at=? WHERE id=?", a.name(),
                JsonTrees.string(a.settings()), Times.iso(a.updatedAt()), a.id()));
        cache.remove(a.id());
    }

    public boolean delete(String id) {
        boolean done = db.write(c -> Rows.update(c, "DELETE FROM applications WHERE id=? AND is_default=0", id)) == 1;
        cache.remove(id);
        if (done) {
            deleteListeners.forEach(l -> l.accept(id));
        }
        return done;
    }

    /** Called with the id of each application deleted (caches of what belonged to it). */
    public void onDelete(java.util.function.Consumer<String> listener) {
        deleteListeners.add(listener);
    }

    private static Application map(ResultSet rs) throws SQLException {
        com.fasterxml.jackson.databind.JsonNode settings;
        try {
            settings = Json.MAPPER.readTree(rs.getString("settings"));
        } catch (Exception e) {
            settings = JsonTrees.object();
        }
        return new Application(rs.getString("id"), rs.getString("org_id"), rs.getString("name"), rs.getInt("is_default") == 1,
                settings, rs.getString("created_by"), Times.parse(rs.getString("created_at")),
                Times.parse(rs.getString("updated_at")));
    }

}
