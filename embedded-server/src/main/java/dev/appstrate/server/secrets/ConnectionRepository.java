package dev.appstrate.server.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The {@code integration_connections} table: sealed credentials and their metadata. */
public final class ConnectionRepository {
    private static final TypeReference<LinkedHashMap<String, String>> HINTS = new TypeReference<>() { };
    private static final String SELECT = "SELECT id, org_id, application_id, integration_package_id, auth_key, account_id, "
            + "user_id, end_user_id, credential_hints, label, shared_with_org, created_at, updated_at FROM integration_connections";

    /** What a run needs to open a connection: where it belongs and its sealed value. */
    record Sealed(String orgId, String packageId, String authKey, String sealed) {
    }

    private final Database db;

    public ConnectionRepository(Database db) {
        this.db = db;
    }

    void insert(Connections.Info i, String sealed) {
        db.write(c -> Rows.update(c, "INSERT INTO integration_connections(id, org_id, integration_package_id, auth_key, "
                + "account_id, application_id, user_id, end_user_id, credentials_encrypted, credential_hints, label, "
                + "shared_with_org, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", i.id(), i.orgId(),
                i.packageId(), i.authKey(), i.accountId(), i.applicationId(), i.userId(), i.endUserId(), sealed,
                Json.string(i.credentialHints()), i.label(), i.sharedWithOrg(), i.createdAt(), i.updatedAt()));
    }

    /** Replaces the sealed value (and the label when one is given); false when the connection is gone. */
    boolean replaceCredentials(String id, String sealed, Map<String, String> hints, String label, String now) {
        return db.write(c -> Rows.update(c, "UPDATE integration_connections SET credentials_encrypted = ?, "
                + "credential_hints = ?, label = COALESCE(?, label), updated_at = ? WHERE id = ?",
                sealed, Json.string(hints), label, now, id)) > 0;
    }

    /** Sets or clears the label and/or the shared flag; a null argument keeps the column. */
    void update(String id, String label, boolean clearLabel, Boolean shared, String now) {
        db.write(c -> Rows.update(c, "UPDATE integration_connections SET label = CASE WHEN ? = 1 THEN NULL "
                + "ELSE COALESCE(?, label) END, shared_with_org = COALESCE(?, shared_with_org), updated_at = ? WHERE id = ?",
                clearLabel, label, shared, now, id));
    }

    boolean delete(String id) {
        return db.write(c -> Rows.update(c, "DELETE FROM integration_connections WHERE id = ?", id)) > 0;
    }

    Optional<Connections.Info> find(String id) {
        return db.read(c -> Rows.one(c, SELECT + " WHERE id = ?", ConnectionRepository::info, id));
    }

    Optional<Sealed> sealed(String id) {
        return db.read(c -> Rows.one(c, "SELECT org_id, integration_package_id, auth_key, credentials_encrypted "
                + "FROM integration_connections WHERE id = ?",
                rs -> new Sealed(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)), id));
    }

    /** Connections in an application visible to the owner, optionally for one integration, newest first. */
    List<Connections.Info> list(String applicationId, Connections.Owner owner, String packageId) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE application_id = ?");
        List<Object> args = new ArrayList<>(List.of(applicationId));
        ownedBy(sql, args, owner);
        if (packageId != null) {
            sql.append(" AND integration_package_id = ?");
            args.add(packageId);
        }
        sql.append(" ORDER BY updated_at DESC, id DESC");
        return db.read(c -> Rows.list(c, sql.toString(), ConnectionRepository::info, args.toArray()));
    }

    /** Every connection of an organization (or of one application of it) the owner may see, by integration. */
    List<Connections.Info> listInOrg(String orgId, String applicationIdOrNull, Connections.Owner owner) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE org_id = ?");
        List<Object> args = new ArrayList<>(List.of(orgId));
        if (applicationIdOrNull != null) {
            sql.append(" AND application_id = ?");
            args.add(applicationIdOrNull);
        }
        ownedBy(sql, args, owner);
        sql.append(" ORDER BY integration_package_id, updated_at DESC");
        return db.read(c -> Rows.list(c, sql.toString(), ConnectionRepository::info, args.toArray()));
    }

    /** Members see member connections; an end-user only their own. */
    private static void ownedBy(StringBuilder sql, List<Object> args, Connections.Owner owner) {
        if (owner.isEndUser()) {
            sql.append(" AND end_user_id = ?");
            args.add(owner.endUserId());
        } else {
            sql.append(" AND user_id IS NOT NULL");
        }
    }

    /** The row without its owner's display name, which the end-user feature knows. */
    private static Connections.Info info(ResultSet rs) throws SQLException {
        Map<String, String> hints;
        try {
            hints = Json.MAPPER.readValue(rs.getString("credential_hints"), HINTS);
        } catch (Exception e) {
            hints = Map.of();
        }
        return new Connections.Info(rs.getString("id"), rs.getString("org_id"), rs.getString("application_id"),
                rs.getString("integration_package_id"), rs.getString("auth_key"), rs.getString("account_id"),
                rs.getString("user_id"), rs.getString("end_user_id"), null, hints, rs.getString("label"),
                rs.getInt("shared_with_org") != 0, rs.getString("created_at"), rs.getString("updated_at"));
    }
}
