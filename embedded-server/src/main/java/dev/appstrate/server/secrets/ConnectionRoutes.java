package dev.appstrate.server.secrets;


import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.secrets.ConnectionCallers.Caller;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The original's integration/connection routes without OAuth ({@code /api/integrations…},
 * {@code /api/me/connections…}) plus {@code /api/connections…} (our extension: every connection of the
 * application in one list). Responses carry metadata and masked hints, never a credential value.
 */
public final class ConnectionRoutes {
    private static final String TAG = "Integrations";

    /** Trees, not typed fields: each value is checked below with the original's texts, and a null differs from absent. */
    record IntegrationBody(JsonNode manifest) {
    }

    record ConnectBody(JsonNode credentials, JsonNode connection_id, JsonNode label) {
    }

    record PatchBody(JsonNode label, JsonNode shared_with_org) {
    }
    private static final Pattern UUID_RE = Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final IntegrationRepository catalog;
    private final Connections connections;
    private final ConnectionCallers callers;

    public ConnectionRoutes(IntegrationRepository catalog, Connections connections, ConnectionCallers callers) {
        this.catalog = catalog;
        this.connections = connections;
        this.callers = callers;
    }

    public void register(Router r) {
        r.get("/api/integrations", this::listIntegrations)
                .appScoped().permission("integrations:read").doc(TAG, "List integrations");
        r.post("/api/integrations", this::createIntegration)
                .appScoped().permission("integrations:install").extension("local_integrations")
                .doc(TAG, "Create or replace a local integration from a manifest");
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
                .appScoped().permission("integrations:read").extension("connections_list")
                .doc(TAG, "List the application's connections (masked)");
        r.get("/api/connections/{connectionId}", this::getConnection)
                .appScoped().permission("integrations:read").doc(TAG, "Get one connection (masked)");
        r.delete("/api/connections/{connectionId}", this::deleteConnection)
                .appScoped().permission("integrations:disconnect").extension("connections_list")
                .doc(TAG, "Delete a connection");
        r.get("/api/me/connections", this::listMine).doc(TAG, "List the caller's connections grouped by integration");
        r.delete("/api/me/connections/{connectionId}", this::deleteMine).doc(TAG, "Delete one of the caller's connections");
    }

    // ---- integrations

    private ApiResponse listIntegrations(ApiRequest req) {
        Caller caller = caller(req, true);
        List<Map<String, Object>> data = new ArrayList<>();
        for (IntegrationRepository.Entry e : catalog.list(caller.orgId())) {
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
        Map<String, Object> env = ConnectionJson.list(data);
        env.put("total", data.size());
        return ApiResponse.ok(env);
    }

    private ApiResponse createIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        JsonNode manifest = req.body(IntegrationBody.class).manifest();
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
        return ConnectionJson.detail(req.baseUrl(), def, connections.list(caller.applicationId(), caller.owner(), def.packageId()));
    }

    // ---- connections

    private ApiResponse connectFields(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        String authKey = req.pathParam("authKey");
        if (!IntegrationManifests.AUTH_KEY.matcher(authKey).matches()) {
            throw ApiException.invalidRequest("authKey must match ^[a-z][a-z0-9_]*$", "authKey");
        }
        ConnectBody body = req.body(ConnectBody.class);
        String connectionId = null;
        JsonNode cid = body.connection_id();
        if (cid != null && !cid.isNull()) {
            if (!cid.isTextual() || !UUID_RE.matcher(cid.asText()).matches()) {
                throw ApiException.validation("connection_id", "invalid_format", "Must be a connection id (UUID)");
            }
            connectionId = cid.asText().toLowerCase();
        }
        String label = null;
        JsonNode l = body.label();
        if (l != null && !l.isNull()) {
            if (!l.isTextual()) {
                throw ApiException.validation("label", "invalid_type", "Expected a string");
            }
            label = l.asText();
        }
        integration(caller, pkg);
        Connections.Stored stored = connections.connect(caller.orgId(), caller.applicationId(), caller.owner(), pkg, authKey,
                body.credentials(), connectionId, label);
        return ApiResponse.ok(ConnectionJson.dto(stored.info()));
    }

    private ApiResponse listForIntegration(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        integration(caller, pkg);
        return ApiResponse.ok(ConnectionJson.list(connections.list(caller.applicationId(), caller.owner(), pkg).stream()
                .map(ConnectionJson::dto).toList()));
    }

    private ApiResponse patchConnection(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = packageId(req);
        Connections.Info info = visibleConnection(req, caller);
        if (!info.packageId().equals(pkg)) {
            throw ApiException.notFound("connection_not_found", "Connection " + info.id() + " not found for " + pkg);
        }
        PatchBody body = req.body(PatchBody.class);
        String label = null;
        boolean clear = false;
        if (body.label() != null) {
            JsonNode l = body.label();
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
        if (body.shared_with_org() != null) {
            if (!body.shared_with_org().isBoolean()) {
                throw ApiException.validation("shared_with_org", "invalid_type", "Expected a boolean");
            }
            shared = body.shared_with_org().asBoolean();
        }
        return ApiResponse.ok(ConnectionJson.dto(connections.update(info.id(), label, clear, shared)));
    }

    private ApiResponse listConnections(ApiRequest req) {
        Caller caller = caller(req, true);
        String pkg = req.queryParam("packageId").orElse(null);
        return ApiResponse.ok(ConnectionJson.list(connections.list(caller.applicationId(), caller.owner(), pkg).stream()
                .map(ConnectionJson::dto).toList()));
    }

    private ApiResponse getConnection(ApiRequest req) {
        Caller caller = caller(req, true);
        return ApiResponse.ok(ConnectionJson.dto(visibleConnection(req, caller)));
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
        Map<String, String> appNames = callers.applicationNames(caller.orgId());
        String orgName = callers.organizationName(caller.orgId());
        List<Map<String, Object>> data = new ArrayList<>();
        byPackage.forEach((pkg, infos) -> data.add(ConnectionJson.mineGroup(pkg, catalog.find(caller.orgId(), pkg)
                .map(x -> x.definition().displayName()).orElse(pkg), infos, orgName, appNames)));
        return ApiResponse.ok(ConnectionJson.list(data));
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

    private Caller caller(ApiRequest req, boolean appScoped) {
        return callers.of(req, appScoped);
    }
}
