package dev.appstrate.server.models;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.SecretStore;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.util.List;
import java.util.Optional;

/** Org model-provider credentials (key sealed, never read back out over the API) and org models. */
public final class ModelRepository {
    /** A stored credential; the key stays sealed until a run needs it. */
    public record Credential(String id, String orgId, String providerId, String label, String baseUrl, String apiKeyEncrypted,
                             String createdBy, String createdAt, String updatedAt) {
    }

    /** A model registered on a credential; capabilities is the JSON of input, contextWindow, maxTokens and reasoning. */
    public record OrgModel(String id, String orgId, String credentialId, String modelId, String label, boolean enabled,
                           boolean isDefault, String cost, String capabilities, boolean aliased, String createdBy,
                           String createdAt, String updatedAt) {
        public OrgModel withDefault(boolean isDefault, String updatedAt) {
            return new OrgModel(id, orgId, credentialId, modelId, label, enabled, isDefault, cost, capabilities, aliased, createdBy,
                    createdAt, updatedAt);
        }
    }

    private final Database db;
    private final SecretStore secrets;

    public ModelRepository(Database db, SecretStore secrets) {
        this.db = db;
        this.secrets = secrets;
    }

    public List<Credential> credentials(String orgId) {
        return db.read(c -> Rows.list(c, "SELECT * FROM model_provider_credentials WHERE org_id=? ORDER BY created_at", rs ->
                new Credential(rs.getString("id"), rs.getString("org_id"), rs.getString("provider_id"), rs.getString("label"),
                        rs.getString("base_url"), rs.getString("api_key_encrypted"), rs.getString("created_by"),
                        rs.getString("created_at"), rs.getString("updated_at")), orgId));
    }

    public Optional<Credential> credential(String orgId, String id) {
        return credentials(orgId).stream().filter(c -> c.id().equals(id)).findFirst();
    }

    public void saveCredential(Credential c, boolean insert) {
        db.write(conn -> insert
                ? Rows.update(conn, "INSERT INTO model_provider_credentials(id,org_id,provider_id,label,base_url,api_key_encrypted,"
                        + "created_by,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?)", c.id(), c.orgId(), c.providerId(),
                        c.label(), c.baseUrl(), c.apiKeyEncrypted(), c.createdBy(), c.createdAt(), c.updatedAt())
                : Rows.update(conn, "UPDATE model_provider_credentials SET label=?, base_url=?, api_key_encrypted=?, updated_at=? "
                        + "WHERE id=?", c.label(), c.baseUrl(), c.apiKeyEncrypted(), c.updatedAt(), c.id()));
    }

    public boolean deleteCredential(String orgId, String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM model_provider_credentials WHERE org_id=? AND id=?", orgId, id)) == 1;
    }

    public List<OrgModel> models(String orgId) {
        return db.read(c -> Rows.list(c, "SELECT * FROM org_models WHERE org_id=? ORDER BY created_at", rs ->
                new OrgModel(rs.getString("id"), rs.getString("org_id"), rs.getString("credential_id"), rs.getString("model_id"),
                        rs.getString("label"), rs.getInt("enabled") == 1, rs.getInt("is_default") == 1, rs.getString("cost"),
                        rs.getString("capabilities"), rs.getInt("aliased") == 1, rs.getString("created_by"),
                        rs.getString("created_at"), rs.getString("updated_at")), orgId));
    }

    public void saveModel(OrgModel m, boolean insert) {
        db.write(c -> {
            if (m.isDefault()) {
                Rows.update(c, "UPDATE org_models SET is_default=0 WHERE org_id=? AND id<>?", m.orgId(), m.id());
            }
            return insert
                    ? Rows.update(c, "INSERT INTO org_models(id,org_id,credential_id,model_id,label,enabled,is_default,cost,capabilities,"
                            + "aliased,created_by,created_at,updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", m.id(), m.orgId(),
                            m.credentialId(), m.modelId(), m.label(), m.enabled(), m.isDefault(), m.cost(), m.capabilities(), m.aliased(),
                            m.createdBy(), m.createdAt(), m.updatedAt())
                    : Rows.update(c, "UPDATE org_models SET credential_id=?, model_id=?, label=?, enabled=?, is_default=?, cost=?, "
                            + "capabilities=?, aliased=?, updated_at=? WHERE id=?", m.credentialId(), m.modelId(), m.label(), m.enabled(),
                            m.isDefault(), m.cost(), m.capabilities(), m.aliased(), m.updatedAt(), m.id());
        });
    }

    public boolean deleteModel(String orgId, String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM org_models WHERE org_id=? AND id=?", orgId, id)) == 1;
    }

    public String seal(String apiKey) {
        return apiKey == null || apiKey.isEmpty() ? null : secrets.seal(apiKey);
    }

    public String open(String sealed) {
        return sealed == null ? "" : secrets.open(sealed);
    }

    static ObjectNode costNode(String cost) {
        try {
            return cost == null ? null : (ObjectNode) Json.MAPPER.readTree(cost);
        } catch (Exception e) {
            return null;
        }
    }
}
