package dev.appstrate.server.secrets;

import dev.appstrate.server.http.JsonBody;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.secrets.Connections;
import dev.appstrate.server.secrets.IntegrationAuth;
import dev.appstrate.server.secrets.IntegrationCatalog;
import dev.appstrate.server.secrets.IntegrationDefinition;
import dev.appstrate.server.secrets.IntegrationManifests;
import dev.appstrate.server.store.Database;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The original's integration/connection routes without OAuth ({@code /api/integrations…},
 * {@code /api/me/connections…}) plus {@code /api/connections…} (our extension: every connection of the
 * application in one list). Responses carry metadata and masked hints, never a credential value.
 */
public final class ConnectionRoutes {
    private static final String TAG = "Integrations";
    private static final Pattern UUID_RE = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");
    private static final String END_USER_HEADER = "Appstrate-User";

    private final Database db;
    private final IntegrationCatalog catalog;
    private final Connections connections;

    public ConnectionRoutes(Database db, IntegrationCatalog catalog, Connections connections) {
        this.db = db;
        this.catalog = catalog;
        this.connections = connections;
    }

    /** Who is asking, in which organization and application, as a member or as an end-user. */
    record Caller(String orgId, String applicationId, Connections.Owner owner) {
    }

    public void register(Router r) {
        r.get("/api/integrations", this::listIntegrations)
                .appScoped().permission("integrations:read").doc(TAG, "List integrations");
        r.post("/api/integrations", this::createIntegration)
                .appScoped().permission("integrations:install").doc(TAG, "Create or replace a local integration from a manifest");
        r.get("/api/integrations/{scope}/{name}", this::getIntegration)
                .appScoped().permission("integrations:read").doc(TAG, "Get integration detail + per-auth status");
        r.delete("/api/integrations/{scope}/{name}", this::deleteIntegration)
                .appScoped().orgWide().permission("integrations:uninstall").doc(TAG, "Delete an integration and its connections");
        r.post("/api/integrations/{scope}/{name}/auths/{authKey}/connect/fields", this::connectFields)
                .appScoped().permission("integrations:connect")
                .doc(TAG, "Store credentials for an api_key/basic/custom auth (connection_id replaces the value)");
        r.get("/api/integrations/{scope}/{name}/connections", this::listForIntegration)
                .appScoped().permission("integrations:read")
                .doc(TAG, "List the connections the caller can use for an integration");
        r.patch("/api/integrations/{scope}/{name}/connections/{connectionId}", this::patchConnection)
                .appScoped().permission("integrations:connect")
                .doc(TAG, "Update a connection's label and/or shared_with_org flag");
        r.delete("/api/integrations/{scope}/{name}/connections/{connectionId}", this::deleteConnection)
                .appScoped().permission("integrations:disconnect")
                .doc(TAG, "Delete a connection");
        r.get("/api/connections", this::listConnections)
                .appScoped().permission("integrations:read").doc(TAG, "List the application's connections (masked)");
        r.get("/api/connections/{connectionId}", this::getConnection)
                .appScoped().permission("integrations:read").doc(TAG, "Get one connection (masked)");
        r.delete("/api/connections/{connectionId}", this::deleteConnection)
                .appScoped().permission("integrations:disconnect").doc(TAG, "Delete a connection");
        r.get("/api/me/connections", this::listMine).doc(TAG, "List the caller's connections grouped by integration");
        r.delete("/api/me/connections/{connectionId}", this::deleteMine).doc(TAG, "Delete one of the caller's connections");
    }

    // ---- integrations

    private ApiResponse listIntegrations(ApiRequest req) {
        Caller caller = caller(req, true);
        List<Map<String, Object>> data = new ArrayList<>();
        for (IntegrationCatalog.Entry e : catalog.list(caller.orgId())) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", e.definition().packageId());
            m.put("manifest", e.definition().manifest());
            m.put("orgId", e.orgId());
            m.put("source", e.source());
            m.put("active", true);
            m.put("block_user_connections", false);
            data.add(m);
        }
        // the original's integration catalogue is offset-paginated and always says how many there are
        Map<String, Object> env = list(data);
        env.put("total", data.size());
        return ApiResponse.ok(env);
    }

    private ApiResponse createIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        JsonNode body = objectBody(req, Set.of("manifest"));
        JsonNode manifest = body.get("manifest");
        if (manifest == null) {
            throw ApiException.validation("manifest", "required", "Required: the integration manifest");
        }
        String id = manifest.path("name").asText("");
        if (!req.auth().mayChangeOrgWide() && catalog.find(caller.orgId(), id).isPresent()) {
            // replacing it changes where every application's credentials go
            throw AuthContext.orgWideRefused("Integration '" + id + "'");
        }
        boolean created = catalog.upsert(caller.orgId(), manifest, "local");
        IntegrationDefinition def = IntegrationManifests.parse(manifest);
        return ApiResponse.json(created ? 201 : 200, detail(req, caller, def));
    }

    private ApiResponse getIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        return ApiResponse.ok(detail(req, caller, integration(caller, packageId(req))));
    }

    private ApiResponse deleteIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        if (!catalog.remove(caller.orgId(), pkg)) {
            throw ApiException.notFound("integration_not_found", "Integration " + pkg + " not found");
        }
        return ApiResponse.noContent();
    }

    private Map<String, Object> detail(ApiRequest req, Caller caller, IntegrationDefinition def) {
        List<Connections.Info> mine = connections.list(caller.applicationId(), caller.owner(), def.packageId());
        List<Map<String, Object>> auths = new ArrayList<>();
        for (IntegrationAuth a : def.auths().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auth_key", a.key());
            m.put("type", a.type());
            m.put("required", a.required());
            m.put("scopes", List.of());
            m.put("resource", null);
            List<Map<String, Object>> conns = mine.stream().filter(i -> i.authKey().equals(a.key())).map(ConnectionRoutes::dto).toList();
            m.put("connections", conns);
            m.put("ready", !conns.isEmpty());
            m.put("has_oauth_client", false);
            m.put("has_system_client", false);
            m.put("client_auto_provisioned", false);
            m.put("supported", a.supported());
            m.put("authorized_uris", a.authorizedUris());
            List<Map<String, Object>> fields = new ArrayList<>();
            for (IntegrationAuth.CredentialField f : a.fields()) {
                Map<String, Object> fm = new LinkedHashMap<>();
                fm.put("name", f.name());
                fm.put("description", f.description());
                fm.put("required", f.required());
                fields.add(fm);
            }
            m.put("credential_fields", fields);
            m.put("delivery", a.env().isEmpty() ? "proxy" : "proxy+env");
            auths.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("manifest", def.manifest());
        out.put("auths", auths);
        out.put("tool_catalog", List.of());
        out.put("default_tools", List.of());
        out.put("allow_undeclared_tools", false);
        out.put("active", true);
        out.put("block_user_connections", false);
        out.put("platform_redirect_uri", (req.baseUrl() == null ? "" : req.baseUrl()) + "/api/integrations/callback");
        return out;
    }

    // ---- connections

    private ApiResponse connectFields(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        String authKey = req.pathParam("authKey");
        if (!IntegrationManifests.AUTH_KEY.matcher(authKey).matches()) {
            throw ApiException.invalidRequest("authKey must match ^[a-z][a-z0-9_]*$", "authKey");
        }
        JsonNode body = objectBody(req, Set.of("credentials", "connection_id", "label"));
        String connectionId = null;
        JsonNode cid = body.get("connection_id");
        if (cid != null && !cid.isNull()) {
            if (!cid.isTextual() || !UUID_RE.matcher(cid.asText()).matches()) {
                throw ApiException.validation("connection_id", "invalid_format", "Must be a connection id (UUID)");
            }
            connectionId = cid.asText().toLowerCase();
        }
        String label = null;
        JsonNode l = body.get("label");
        if (l != null && !l.isNull()) {
            if (!l.isTextual()) {
                throw ApiException.validation("label", "invalid_type", "Expected a string");
            }
            label = l.asText();
        }
        integration(caller, pkg);
        Connections.Stored stored = connections.connect(caller.orgId(), caller.applicationId(), caller.owner(), pkg, authKey,
                body.get("credentials"), connectionId, label);
        return ApiResponse.ok(dto(stored.info()));
    }

    private ApiResponse listForIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        integration(caller, pkg);
        return ApiResponse.ok(list(connections.list(caller.applicationId(), caller.owner(), pkg).stream()
                .map(ConnectionRoutes::dto).toList()));
    }

    private ApiResponse patchConnection(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        Connections.Info info = visibleConnection(req, caller);
        if (!info.packageId().equals(pkg)) {
            throw ApiException.notFound("connection_not_found", "Connection " + info.id() + " not found for " + pkg);
        }
        JsonNode body = objectBody(req, Set.of("label", "shared_with_org"));
        String label = null;
        boolean clear = false;
        if (body.has("label")) {
            JsonNode l = body.get("label");
            if (l.isNull()) {
                clear = true;
            } else if (!l.isTextual()) {
                throw ApiException.validation("label", "invalid_type", "Expected a string or null");
            } else if (l.asText().length() > 80) {
                throw ApiException.validation("label", "too_big", "At most 80 characters");
            } else {
                label = l.asText();
            }
        }
        Boolean shared = null;
        if (body.has("shared_with_org")) {
            if (!body.get("shared_with_org").isBoolean()) {
                throw ApiException.validation("shared_with_org", "invalid_type", "Expected a boolean");
            }
            shared = body.get("shared_with_org").asBoolean();
        }
        return ApiResponse.ok(dto(connections.update(info.id(), label, clear, shared)));
    }

    private ApiResponse listConnections(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = req.queryParam("packageId").orElse(null);
        return ApiResponse.ok(list(connections.list(caller.applicationId(), caller.owner(), pkg).stream()
                .map(ConnectionRoutes::dto).toList()));
    }

    private ApiResponse getConnection(ApiRequest req) {
        Caller caller = caller(req, true);
        return ApiResponse.ok(dto(visibleConnection(req, caller)));
    }

    private ApiResponse deleteConnection(ApiRequest req) {
        Caller caller = caller(req, true);
        Connections.Info info = visibleConnection(req, caller);
        String scope = req.pathParam("scope");
        if (scope != null && !info.packageId().equals(packageId(req))) {
            throw ApiException.notFound("connection_not_found", "Connection " + info.id() + " not found for " + packageId(req));
        }
        connections.delete(info.id());
        return ApiResponse.noContent();
    }

    private ApiResponse listMine(ApiRequest req) {
        Caller caller = caller(req, false);
        Map<String, List<Connections.Info>> byPackage = new LinkedHashMap<>();
        for (Connections.Info i : connections.listInOrg(caller.orgId(), caller.applicationId(), caller.owner())) {
            byPackage.computeIfAbsent(i.packageId(), k -> new ArrayList<>()).add(i);
        }
        Map<String, String> appNames = names("SELECT id, name FROM applications WHERE org_id = ?", caller.orgId());
        Map<String, String> orgNames = names("SELECT id, name FROM organizations WHERE id = ?", caller.orgId());
        List<Map<String, Object>> data = new ArrayList<>();
        for (Map.Entry<String, List<Connections.Info>> e : byPackage.entrySet()) {
            String display = catalog.find(caller.orgId(), e.getKey()).map(x -> x.definition().displayName()).orElse(e.getKey());
            List<Map<String, Object>> conns = new ArrayList<>();
            for (Connections.Info i : e.getValue()) {
                Map<String, Object> c = new LinkedHashMap<>();
                c.put("connection_id", i.id());
                c.put("kind", "integration");
                c.put("label", i.label());
                c.put("scopes_granted", List.of());
                c.put("connected_at", i.createdAt());
                c.put("needs_reconnection", false);
                c.put("expiresAt", null);
                c.put("identity", i.accountId());
                c.put("reused_by_agents", 0);
                c.put("auth_key", i.authKey());
                c.put("shared_with_org", i.sharedWithOrg());
                c.put("org", Map.of("id", i.orgId(), "name", orgNames.getOrDefault(i.orgId(), "")));
                c.put("application", Map.of("id", i.applicationId(), "name", appNames.getOrDefault(i.applicationId(), "")));
                c.put("credential_hints", i.credentialHints());
                c.put("updatedAt", i.updatedAt());
                conns.add(c);
            }
            Map<String, Object> g = new LinkedHashMap<>();
            g.put("kind", "integration");
            g.put("source_id", e.getKey());
            g.put("display_name", display);
            g.put("logo", "");
            g.put("total_connections", conns.size());
            g.put("connections", conns);
            data.add(g);
        }
        return ApiResponse.ok(list(data));
    }

    private ApiResponse deleteMine(ApiRequest req) {
        Caller caller = caller(req, false);
        String id = req.pathParam("connectionId");
        // the original answers 204 whether or not the connection existed or was the caller's
        connections.get(id).filter(i -> i.orgId().equals(caller.orgId())
                        && (caller.applicationId() == null || i.applicationId().equals(caller.applicationId()))
                        && (caller.owner().isEndUser() ? caller.owner().endUserId().equals(i.endUserId()) : i.userId() != null))
                .ifPresent(i -> connections.delete(i.id()));
        return ApiResponse.noContent();
    }

    // ---- helpers

    static Map<String, Object> dto(Connections.Info i) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", i.id());
        m.put("packageId", i.packageId());
        m.put("auth_key", i.authKey());
        m.put("account_id", i.accountId());
        m.put("identity_claims", null);
        m.put("scopes_granted", List.of());
        m.put("needs_reconnection", false);
        m.put("expiresAt", null);
        m.put("owner_type", i.endUserId() != null ? "end_user" : "user");
        m.put("owner_id", i.endUserId() != null ? i.endUserId() : i.userId());
        m.put("owner_name", i.ownerName());
        m.put("label", i.label());
        m.put("shared_with_org", i.sharedWithOrg());
        m.put("client_ref", null);
        m.put("application_id", i.applicationId());
        m.put("credential_hints", i.credentialHints());
        m.put("createdAt", i.createdAt());
        m.put("updatedAt", i.updatedAt());
        return m;
    }

    private static Map<String, Object> list(List<?> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "list");
        m.put("data", data);
        m.put("hasMore", false);
        return m;
    }

    private Connections.Info visibleConnection(ApiRequest req, Caller caller) {
        String id = req.pathParam("connectionId");
        if (!UUID_RE.matcher(id).matches()) {
            throw ApiException.notFound("connection_not_found", "Connection " + id + " not found");
        }
        return connections.visible(caller.applicationId(), caller.owner(), id.toLowerCase())
                .orElseThrow(() -> ApiException.notFound("connection_not_found", "Connection " + id + " not found"));
    }

    private IntegrationDefinition integration(Caller caller, String pkg) {
        return catalog.find(caller.orgId(), pkg)
                .orElseThrow(() -> ApiException.notFound("integration_not_found", "Integration " + pkg + " not found"))
                .definition();
    }

    private static String packageId(ApiRequest req) {
        String id = req.pathParam("scope") + "/" + req.pathParam("name");
        if (!IntegrationManifests.PACKAGE_ID.matcher(id).matches()) {
            throw ApiException.invalidRequest("packageId must be @scope/name (e.g. @acme/crm)", "packageId");
        }
        return id;
    }

    private static JsonNode objectBody(ApiRequest req, Set<String> allowed) {
        JsonNode body = req.jsonBody();
        JsonBody.requireObject(body);
        List<ApiException.FieldError> unknown = JsonBody.unknownFields(body, allowed);
        if (!unknown.isEmpty()) {
            throw ApiException.validation(unknown);
        }
        return body;
    }

    private Caller caller(ApiRequest req, boolean appScoped) {
        AuthContext auth = req.auth();
        if (auth == null) {
            throw ApiException.unauthorized("Invalid or missing session");
        }
        String app = appScoped ? req.applicationId() : (auth.kind() == AuthContext.Kind.API_KEY ? auth.pinnedApplicationId() : null);
        if (appScoped && app == null) {
            throw ApiException.invalidRequest("X-Application-Id header is required", "X-Application-Id");
        }
        String org = auth.orgId();
        if (org == null && app != null) {
            org = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT org_id FROM applications WHERE id = ?")) {
                    ps.setString(1, req.applicationId());
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next() ? rs.getString(1) : null;
                    }
                }
            });
        }
        if (org == null) {
            throw ApiException.forbidden("No organization context");
        }
        String endUser = req.header(END_USER_HEADER);
        if (endUser != null && !endUser.isEmpty()) {
            if (auth.kind() != AuthContext.Kind.API_KEY) {
                throw ApiException.invalidRequest("The Appstrate-User header is only allowed with API key authentication",
                        END_USER_HEADER).codeOverride("header_not_allowed");
            }
            if (!endUser.startsWith("eu_")) {
                throw ApiException.invalidRequest("Appstrate-User must be an end-user id (eu_…)", END_USER_HEADER)
                        .codeOverride("invalid_end_user_id");
            }
            String keyApp = app != null ? app : auth.pinnedApplicationId();
            boolean known = db.read(c -> {
                try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM end_users WHERE id = ? AND application_id = ?")) {
                    ps.setString(1, endUser);
                    ps.setString(2, keyApp);
                    try (ResultSet rs = ps.executeQuery()) {
                        return rs.next();
                    }
                }
            });
            if (!known) {
                throw new ApiException(403, "invalid_end_user", "Forbidden",
                        "End-user " + endUser + " does not exist in this application").param(END_USER_HEADER);
            }
            return new Caller(org, app, Connections.Owner.endUser(endUser));
        }
        String user = auth.userId() != null ? auth.userId() : auth.identity();
        return new Caller(org, app, Connections.Owner.user(user != null ? user : "owner"));
    }

    private Map<String, String> names(String sql, String arg) {
        return db.read(c -> {
            Map<String, String> out = new LinkedHashMap<>();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, arg);
                try (ResultSet rs = ps.executeQuery()) {
                    while (rs.next()) {
                        out.put(rs.getString(1), rs.getString(2));
                    }
                }
            }
            return out;
        });
    }
}
