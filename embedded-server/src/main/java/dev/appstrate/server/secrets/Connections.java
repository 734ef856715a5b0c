package dev.appstrate.server.secrets;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.Database;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Integration connections: credentials entered once, sealed at rest, shown afterwards only as metadata
 * and masked hints. A connection belongs to one application and to a member (user) or an end-user.
 */
public final class Connections {
    static final int MAX_VALUE_CHARS = 16_384;
    private static final TypeReference<LinkedHashMap<String, String>> HINTS = new TypeReference<>() { };

    /** Who acts: a member of the org (userId) or an end-user of the application (endUserId). */
    public record Owner(String userId, String endUserId) {
        public static Owner user(String userId) {
            return new Owner(userId, null);
        }

        public static Owner endUser(String endUserId) {
            return new Owner(null, endUserId);
        }

        public boolean isEndUser() {
            return endUserId != null;
        }
    }

    /** A connection's metadata: everything but the credentials. */
    public record Info(String id, String orgId, String applicationId, String packageId, String authKey, String accountId,
                       String userId, String endUserId, String ownerName, Map<String, String> credentialHints,
                       String label, boolean sharedWithOrg, String createdAt, String updatedAt) {
    }

    private final Database db;
    private final Clock clock;
    private final SecretStore secrets;
    private final IntegrationCatalog catalog;

    public Connections(Database db, Clock clock, SecretStore secrets, IntegrationCatalog catalog) {
        this.db = db;
        this.clock = clock;
        this.secrets = secrets;
        this.catalog = catalog;
    }

    /** Result of a connect: the connection and whether it was created (false = its value was replaced). */
    public record Stored(Info info, boolean created) {
    }

    /**
     * Stores credentials for an integration auth: a new connection, or — with {@code connectionId} — the
     * same connection with its value replaced. Bad input is a 4xx and changes nothing.
     */
    public Stored connect(String orgId, String applicationId, Owner owner, String packageId, String authKey,
                          JsonNode credentials, String connectionId, String label) {
        IntegrationDefinition def = catalog.find(orgId, packageId)
                .orElseThrow(() -> ApiException.notFound("integration_not_found", "Integration " + packageId + " not found"))
                .definition();
        IntegrationAuth auth = def.auth(authKey);
        if (auth == null) {
            throw ApiException.notFound("auth_not_found", "Integration " + packageId + " declares no auth '" + authKey
                    + "' (declared: " + String.join(", ", def.auths().keySet()) + ")");
        }
        if (!auth.supported()) {
            throw ApiException.invalidRequest("Auth '" + authKey + "' of " + packageId + " is of type '" + auth.type()
                    + "', which Appstrate Desktop cannot connect yet (supported: api_key, basic, custom)", "authKey")
                    .codeOverride("auth_method_not_supported");
        }
        if (label != null && label.length() > 80) {
            throw ApiException.validation("label", "too_big", "At most 80 characters");
        }
        Map<String, String> values = validate(auth, credentials);
        Map<String, String> hints = new LinkedHashMap<>();
        values.forEach((k, v) -> hints.put(k, mask(v)));
        if (auth.type().equals("basic")) {
            secrets.redactor().addBasicPair(values.get("username"), values.get("password"));
        }
        Map<String, Object> plaintext = new LinkedHashMap<>();
        plaintext.put("v", 2);
        plaintext.put("outputs", values);
        String sealed = secrets.sealJson(plaintext);
        String now = clock.instant().toString();
        String id = db.write(c -> {
            if (connectionId != null) {
                Info existing = find(c, connectionId).filter(i -> visible(i, applicationId, owner)
                        && i.packageId().equals(packageId) && i.authKey().equals(authKey)).orElseThrow(() ->
                        ApiException.notFound("connection_not_found", "Connection " + connectionId + " not found for "
                                + packageId + " auth '" + authKey + "'").param("connection_id"));
                try (PreparedStatement ps = c.prepareStatement("UPDATE integration_connections SET credentials_encrypted = ?, "
                        + "credential_hints = ?, label = COALESCE(?, label), updated_at = ? WHERE id = ?")) {
                    ps.setString(1, sealed);
                    ps.setString(2, Json.string(hints));
                    ps.setString(3, label);
                    ps.setString(4, now);
                    ps.setString(5, existing.id());
                    ps.executeUpdate();
                }
                return existing.id();
            }
            String fresh = UUID.randomUUID().toString();
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO integration_connections(id, org_id, "
                    + "integration_package_id, auth_key, account_id, application_id, user_id, end_user_id, "
                    + "credentials_encrypted, credential_hints, label, shared_with_org, created_at, updated_at) "
                    + "VALUES (?,?,?,?,?,?,?,?,?,?,?,0,?,?)")) {
                ps.setString(1, fresh);
                ps.setString(2, orgId);
                ps.setString(3, packageId);
                ps.setString(4, authKey);
                // an opaque account id: deriving it from the credentials would leak them
                ps.setString(5, authKey + ":" + fresh.substring(0, 8));
                ps.setString(6, applicationId);
                ps.setString(7, owner.userId());
                ps.setString(8, owner.endUserId());
                ps.setString(9, sealed);
                ps.setString(10, Json.string(hints));
                ps.setString(11, label);
                ps.setString(12, now);
                ps.setString(13, now);
                ps.executeUpdate();
            }
            return fresh;
        });
        return new Stored(get(id).orElseThrow(), connectionId == null);
    }

    private static Map<String, String> validate(IntegrationAuth auth, JsonNode credentials) {
        if (credentials == null || !credentials.isObject() || credentials.isEmpty()) {
            throw ApiException.validation("credentials", "required", "A non-empty object of credential fields");
        }
        List<ApiException.FieldError> errors = new ArrayList<>();
        Map<String, String> values = new LinkedHashMap<>();
        boolean closed = !auth.fields().isEmpty();
        for (Iterator<Map.Entry<String, JsonNode>> it = credentials.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String field = "credentials." + e.getKey();
            if (closed && auth.field(e.getKey()) == null) {
                errors.add(new ApiException.FieldError(field, "unknown_field", "Unknown credential field '" + e.getKey()
                        + "' (expected: " + String.join(", ", auth.fields().stream().map(IntegrationAuth.CredentialField::name).toList()) + ")"));
            } else if (!e.getValue().isTextual()) {
                errors.add(new ApiException.FieldError(field, "invalid_type", "Expected a string"));
            } else if (e.getValue().asText().isEmpty()) {
                errors.add(new ApiException.FieldError(field, "too_small", "Must not be empty"));
            } else if (e.getValue().asText().length() > MAX_VALUE_CHARS) {
                errors.add(new ApiException.FieldError(field, "too_big", "At most " + MAX_VALUE_CHARS + " characters"));
            } else {
                values.put(e.getKey(), e.getValue().asText());
            }
        }
        for (IntegrationAuth.CredentialField f : auth.fields()) {
            if (f.required() && !credentials.has(f.name())) {
                errors.add(new ApiException.FieldError("credentials." + f.name(), "required", "Required"));
            }
        }
        if (!errors.isEmpty()) {
            throw ApiException.validation(errors);
        }
        return values;
    }

    /** Last four characters behind a mask, only for values long enough that four characters reveal little. */
    static String mask(String value) {
        return value.length() >= 12 ? "••••" + value.substring(value.length() - 4) : "••••";
    }

    public Optional<Info> get(String id) {
        return db.read(c -> find(c, id));
    }

    /** A connection the owner may see in this application, else empty. */
    public Optional<Info> visible(String applicationId, Owner owner, String id) {
        return get(id).filter(i -> visible(i, applicationId, owner));
    }

    /** Members see the application's member connections; an end-user sees only their own. */
    static boolean visible(Info i, String applicationId, Owner owner) {
        if (!i.applicationId().equals(applicationId)) {
            return false;
        }
        return owner.isEndUser() ? owner.endUserId().equals(i.endUserId()) : i.userId() != null;
    }

    /** Connections in an application visible to the owner, optionally for one integration, newest first. */
    public List<Info> list(String applicationId, Owner owner, String packageId) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE c.application_id = ?");
        List<String> args = new ArrayList<>(List.of(applicationId));
        if (owner.isEndUser()) {
            sql.append(" AND c.end_user_id = ?");
            args.add(owner.endUserId());
        } else {
            sql.append(" AND c.user_id IS NOT NULL");
        }
        if (packageId != null) {
            sql.append(" AND c.integration_package_id = ?");
            args.add(packageId);
        }
        sql.append(" ORDER BY c.updated_at DESC, c.id DESC");
        return query(sql.toString(), args);
    }

    /** Every connection of an organization (or of one application of it), for {@code /api/me/connections}. */
    public List<Info> listInOrg(String orgId, String applicationIdOrNull, Owner owner) {
        StringBuilder sql = new StringBuilder(SELECT + " WHERE c.org_id = ?");
        List<String> args = new ArrayList<>(List.of(orgId));
        if (applicationIdOrNull != null) {
            sql.append(" AND c.application_id = ?");
            args.add(applicationIdOrNull);
        }
        if (owner.isEndUser()) {
            sql.append(" AND c.end_user_id = ?");
            args.add(owner.endUserId());
        } else {
            sql.append(" AND c.user_id IS NOT NULL");
        }
        sql.append(" ORDER BY c.integration_package_id, c.updated_at DESC");
        return query(sql.toString(), args);
    }

    public Info update(String id, String label, boolean clearLabel, Boolean shared) {
        String now = clock.instant().toString();
        db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("UPDATE integration_connections SET label = CASE WHEN ? THEN NULL "
                    + "ELSE COALESCE(?, label) END, shared_with_org = COALESCE(?, shared_with_org), updated_at = ? WHERE id = ?")) {
                ps.setBoolean(1, clearLabel);
                ps.setString(2, label);
                if (shared == null) {
                    ps.setNull(3, java.sql.Types.INTEGER);
                } else {
                    ps.setInt(3, shared ? 1 : 0);
                }
                ps.setString(4, now);
                ps.setString(5, id);
                ps.executeUpdate();
            }
            return null;
        });
        return get(id).orElseThrow();
    }

    public boolean delete(String id) {
        return db.write(c -> {
            try (PreparedStatement ps = c.prepareStatement("DELETE FROM integration_connections WHERE id = ?")) {
                ps.setString(1, id);
                return ps.executeUpdate() > 0;
            }
        });
    }

    /** Opens a connection's credentials for a run (the sidecar); never for an API response. */
    public ResolvedConnection open(String connectionId) {
        record Row(String orgId, String packageId, String authKey, String sealed) {
        }
        Row row = db.read(c -> {
            try (PreparedStatement ps = c.prepareStatement("SELECT org_id, integration_package_id, auth_key, "
                    + "credentials_encrypted FROM integration_connections WHERE id = ?")) {
                ps.setString(1, connectionId);
                try (ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? new Row(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4)) : null;
                }
            }
        });
        if (row == null) {
            throw new IllegalArgumentException("connection " + connectionId + " does not exist");
        }
        IntegrationDefinition def = catalog.find(row.orgId(), row.packageId())
                .orElseThrow(() -> new IllegalStateException("integration " + row.packageId() + " is gone"))
                .definition();
        IntegrationAuth auth = def.auth(row.authKey());
        if (auth == null) {
            throw new IllegalStateException("integration " + row.packageId() + " no longer declares auth '" + row.authKey() + "'");
        }
        JsonNode outputs = secrets.openJson(row.sealed()).path("outputs");
        Map<String, String> creds = new LinkedHashMap<>();
        outputs.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                creds.put(e.getKey(), e.getValue().asText());
            }
        });
        if (auth.type().equals("basic")) {
            secrets.redactor().addBasicPair(creds.get("username"), creds.get("password"));
        }
        return new ResolvedConnection(connectionId, row.packageId(), auth, creds);
    }

    private static final String SELECT = "SELECT c.id, c.org_id, c.application_id, c.integration_package_id, c.auth_key, "
            + "c.account_id, c.user_id, c.end_user_id, COALESCE(e.name, e.external_id) AS owner_name, c.credential_hints, "
            + "c.label, c.shared_with_org, c.created_at, c.updated_at FROM integration_connections c "
            + "LEFT JOIN end_users e ON e.id = c.end_user_id";

    private List<Info> query(String sql, List<String> args) {
        return db.read(c -> {
            List<Info> out = new ArrayList<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                for (int i = 0; i < args.size(); i++) {
                    ps.setString(i + 1, args.get(i));
                }
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.add(info(rs));
                    }
                }
            }
            return out;
        });
    }

    private static Optional<Info> find(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(SELECT + " WHERE c.id = ?")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? Optional.of(info(rs)) : Optional.empty();
            }
        }
    }

    private static Info info(ResultSet rs) throws SQLException {
        Map<String, String> hints;
        try {
            hints = Json.MAPPER.readValue(rs.getString("credential_hints"), HINTS);
        } catch (Exception e) {
            hints = Map.of();
        }
        return new Info(rs.getString("id"), rs.getString("org_id"), rs.getString("application_id"),
                rs.getString("integration_package_id"), rs.getString("auth_key"), rs.getString("account_id"),
                rs.getString("user_id"), rs.getString("end_user_id"), rs.getString("owner_name"), hints,
                rs.getString("label"), rs.getInt("shared_with_org") != 0, rs.getString("created_at"),
                rs.getString("updated_at"));
    }
}
