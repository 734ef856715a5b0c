package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/**
 * The {@code integrations} table: the integrations an organization can connect, registered by the packages module when
 * an integration package is imported ({@code source = "package"}) or created locally through the API ({@code "local"}).
 */
public final class IntegrationRepository {
    /** One catalog entry with its bookkeeping. */
    public record Entry(String orgId, IntegrationDefinition definition, String source, String createdAt, String updatedAt) {
    }

    private final Database db;
    private final Clock clock;

    public IntegrationRepository(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Validates the manifest and stores it (replacing an earlier one); true when it is new. */
    public boolean upsert(String orgId, JsonNode manifest, String source) {
        IntegrationDefinition def = IntegrationManifests.parse(manifest);
        String now = clock.instant().toString();
        return db.write(c -> {
            if (Rows.update(c, "UPDATE integrations SET display_name = ?, manifest = ?, source = ?, updated_at = ? "
                    + "WHERE org_id = ? AND package_id = ?", def.displayName(), Json.string(manifest), source, now, orgId,
                    def.packageId()) > 0) {
                return false;
            }
            Rows.update(c, "INSERT INTO integrations(org_id, package_id, display_name, manifest, source, created_at, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?)", orgId, def.packageId(), def.displayName(), Json.string(manifest), source, now, now);
            return true;
        });
    }

    public Optional<Entry> find(String orgId, String packageId) {
        return db.read(c -> Rows.one(c, "SELECT org_id, manifest, source, created_at, updated_at FROM integrations "
                + "WHERE org_id = ? AND package_id = ?", IntegrationRepository::entry, orgId, packageId));
    }

    public List<Entry> list(String orgId) {
        return db.read(c -> Rows.list(c, "SELECT org_id, manifest, source, created_at, updated_at FROM integrations "
                + "WHERE org_id = ? ORDER BY package_id", IntegrationRepository::entry, orgId));
    }

    /** Removes an integration and, by cascade, every connection to it. */
    public boolean remove(String orgId, String packageId) {
        return db.write(c -> Rows.update(c, "DELETE FROM integrations WHERE org_id = ? AND package_id = ?", orgId, packageId)) > 0;
    }

    private static Entry entry(ResultSet rs) throws SQLException {
        JsonNode manifest;
        try {
            manifest = Json.MAPPER.readTree(rs.getString("manifest"));
        } catch (Exception e) {
            throw new IllegalStateException("stored integration manifest is not JSON", e);
        }
        return new Entry(rs.getString("org_id"), IntegrationManifests.parse(manifest), rs.getString("source"),
                rs.getString("created_at"), rs.getString("updated_at"));
    }
}
