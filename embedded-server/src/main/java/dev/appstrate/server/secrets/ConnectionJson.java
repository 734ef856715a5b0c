package dev.appstrate.server.secrets;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The connection routes' wire shapes (the original's field names): metadata and masked hints, never a credential value. */
final class ConnectionJson {
    private ConnectionJson() {
    }

    /** An integration with its auths and, per auth, the caller's connections. */
    static Map<String, Object> detail(String baseUrl, IntegrationDefinition def, List<Connections.Info> mine) {
        List<Map<String, Object>> auths = new ArrayList<>();
        for (IntegrationAuth a : def.auths().values()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("auth_key", a.key());
            m.put("type", a.type());
            m.put("required", a.required());
            m.put("scopes", List.of());
            m.put("resource", null);
            List<Map<String, Object>> conns = mine.stream().filter(i -> i.authKey().equals(a.key())).map(ConnectionJson::dto).toList();
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
        out.put("platform_redirect_uri", (baseUrl == null ? "" : baseUrl) + "/api/integrations/callback");
        return out;
    }

    /** One integration's group of {@code /api/me/connections}. */
    static Map<String, Object> mineGroup(String packageId, String displayName, List<Connections.Info> infos, String orgName,
                                         Map<String, String> appNames) {
        List<Map<String, Object>> conns = new ArrayList<>();
        for (Connections.Info i : infos) {
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
            c.put("org", Map.of("id", i.orgId(), "name", orgName));
            c.put("application", Map.of("id", i.applicationId(), "name", appNames.getOrDefault(i.applicationId(), "")));
            c.put("credential_hints", i.credentialHints());
            c.put("updatedAt", i.updatedAt());
            conns.add(c);
        }
        Map<String, Object> g = new LinkedHashMap<>();
        g.put("kind", "integration");
        g.put("source_id", packageId);
        g.put("display_name", displayName);
        g.put("logo", "");
        g.put("total_connections", conns.size());
        g.put("connections", conns);
        return g;
    }

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

    static Map<String, Object> list(List<?> data) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("object", "list");
        m.put("data", data);
        m.put("hasMore", false);
        return m;
    }
}
