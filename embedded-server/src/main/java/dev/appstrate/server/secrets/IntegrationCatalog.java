package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The integrations an organization can connect: registered by the packages module when an integration
 * package is imported ({@code source = "package"}) or created locally through the API ({@code "local"}).
 */
public final class IntegrationCatalog {
    /** One catalog entry with its bookkeeping. */
    public record Entry(String orgId, IntegrationDefinition definition, String source, String createdAt, String updatedAt) {
    }

    private final Database db;
    private final Clock clock;

    public IntegrationCatalog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** Validates the manifest and stores it (replacing an earlier one); true when it is new. */
    public boolean upsert(String orgId, JsonNode manifest, String source) {
        IntegrationDefinition def = IntegrationManifests.parse(manifest);
        String now = clock.instant().toString();
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE integrations SET display_name = ?, manifest = ?, "
                    + "source = ?, updated_at = ? WHERE org_id = ? AND package_id = ?")) {
                ps.setString(1, def.displayName());
                ps.setString(2, Json.string(manifest));
                ps.setString(3, source);
                ps.setString(4, now);
                ps.setString(5, orgId);
                ps.setString(6, def.packageId());
                if (ps.executeUpdate() > 0) {
                    return false;
                }
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO integrations(org_id, package_id, display_name, "
                    + "manifest, source, created_at, updated_at) VALUES (?,?,?,?,?,?,?)")) {
                ps.setString(1, orgId);
                ps.setString(2, def.packageId());
                ps.setString(3, def.displayName());
                ps.setString(4, Json.string(manifest));
                ps.setString(5, source);
                ps.setString(6, now);
                ps.setString(7, now);
                ps.executeUpdate();
            }
            return true;
        });
    }

    public Optional<Entry> find(String orgId, String packageId) {
        return db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id, manifest, source, created_at, updated_at "
                    + "FROM integrations WHERE org_id = ? AND package_id = ?")) {
                ps.setString(1, orgId);
                ps.setString(2, packageId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? Optional.of(entry(rs)) : Optional.<Entry>empty();
                }
            }
        });
    }

    public List<Entry> list(String orgId) {
        return db.read(c -> {
            List<Entry> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id, manifest, source, created_at, updated_at "
                    + "FROM integrations WHERE org_id = ? ORDER BY package_id")) {
                ps.setString(1, orgId);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(entry(rs));
                    }
                }
            }
            return out;
        });
    }

    /** Removes an integration and, by cascade, every connection to it. */
    public boolean remove(String orgId, String packageId) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM integrations WHERE org_id = ? AND package_id = ?")) {
                ps.setString(1, orgId);
                ps.setString(2, packageId);
                return ps.executeUpdate() > 0;
            }
        });
    }

    private static Entry entry(ResultSet rs) throws java.sql.SQLException {
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
