package dev.appstrate.server.tenancy;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

public final class ApiKeyRepository {
    private static final String COLS = "id,org_id,application_id,name,key_hash,key_prefix,scopes,created_by,expires_at,"
            + "last_used_at,revoked_at,created_at";
    private final Database db;

    public ApiKeyRepository(Database db) {
        this.db = db;
    }

    public void insert(ApiKey k) {
        db.write(c -> Rows.update(c, "INSERT INTO api_keys(" + COLS + ") VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
                k.id(), k.orgId(), k.applicationId(), k.name(), k.keyHash(), k.keyPrefix(), Json.string(k.scopes()),
                k.createdBy(), Times.iso(k.expiresAt()), null, null, Times.iso(k.createdAt())));
    }

    public Optional<ApiKey> byHash(String hash) {
        return db.read(c -> Rows.one(c, "SELECT " + COLS + " FROM api_keys WHERE key_hash=?", ApiKeyRepository::map, hash));
    }

    public Optional<ApiKey> byId(String id) {
        return db.read(c -> Rows.one(c, "SELECT " + COLS + " FROM api_keys WHERE id=?", ApiKeyRepository::map, id));
    }

    public List<ApiKey> activeInApplication(String appId) {
        return db.read(c -> Rows.list(c, "SELECT " + COLS + " FROM api_keys WHERE application_id=? AND revoked_at IS NULL "
                + "ORDER BY created_at ASC, id ASC", ApiKeyRepository::map, appId));
    }

    public boolean revoke(String id, Instant at) {
        return db.write(c -> Rows.update(c, "UPDATE api_keys SET revoked_at=? WHERE id=? AND revoked_at IS NULL",
                Times.iso(at), id)) == 1;
    }

    public void touch(String id, Instant at) {
        db.write(c -> Rows.update(c, "UPDATE api_keys SET last_used_at=? WHERE id=?", Times.iso(at), id));
    }

    /** Expired keys are revoked at boot, as the original's cleanupExpiredKeys does. */
    public int revokeExpired(Instant now) {
        String t = Times.iso(now);
        return db.write(c -> Rows.update(c, "UPDATE api_keys SET revoked_at=? WHERE revoked_at IS NULL AND expires_at IS NOT NULL "
                + "AND expires_at < ?", t, t));
    }

    private static ApiKey map(ResultSet rs) throws SQLException {
        List<String> scopes;
        try {
            scopes = Json.MAPPER.readValue(rs.getString("scopes"), new TypeReference<List<String>>() { });
        } catch (Exception e) {
            scopes = List.of();
        }
        return new ApiKey(rs.getString("id"), rs.getString("org_id"), rs.getString("application_id"), rs.getString("name"),
                rs.getString("key_hash"), rs.getString("key_prefix"), scopes, rs.getString("created_by"),
                Times.parse(rs.getString("expires_at")), Times.parse(rs.getString("last_used_at")),
                Times.parse(rs.getString("revoked_at")), Times.parse(rs.getString("created_at")));
    }
}
