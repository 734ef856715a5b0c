package dev.appstrate.server.tenancy;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.time.Instant;
import java.util.Optional;

/** The {@code organizations} table (one local organization today). */
public final class OrganizationRepository {
    private final Database db;

    public OrganizationRepository(Database db) {
        this.db = db;
    }

    /** The oldest organization: the local one. */
    public Optional<String> firstId() {
        return db.read(c -> Rows.one(c, "SELECT id FROM organizations ORDER BY created_at LIMIT 1", rs -> rs.getString(1)));
    }

    public void insert(String id, String name, String slug, Instant now) {
        String t = Times.iso(now);
        db.write(c -> Rows.update(c, "INSERT INTO organizations(id,name,slug,created_at,updated_at) VALUES (?,?,?,?,?)",
                id, name, slug, t, t));
    }

    public Optional<String> name(String id) {
        return db.read(c -> Rows.one(c, "SELECT name FROM organizations WHERE id=?", rs -> rs.getString(1), id));
    }
}
