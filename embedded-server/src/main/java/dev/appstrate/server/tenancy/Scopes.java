package dev.appstrate.server.tenancy;

import java.util.List;
import java.util.Set;

/** The permissions an API key may hold (the original's API_KEY_ALLOWED_SCOPES plus the webhooks module). */
public final class Scopes {
    public static final List<String> API_KEY_ALLOWED = List.of(
            "agents:read", "agents:write", "agents:configure", "agents:delete", "agents:run",
            "skills:read", "skills:write", "skills:delete",
            "mcp-servers:read", "mcp-servers:write", "mcp-servers:delete",
            "runs:read", "runs:cancel", "runs:delete",
            "documents:read", "documents:delete",
            "schedules:read", "schedules:write", "schedules:delete",
            "models:read", "models:write", "models:delete",
            "proxies:read", "proxies:write", "proxies:delete",
            "integrations:read", "integrations:write", "integrations:delete", "integrations:install",
            "integrations:uninstall", "integrations:connect", "integrations:disconnect",
            "applications:read", "applications:write", "applications:delete",
            "end-users:read", "end-users:write", "end-users:delete",
            "credential-proxy:call", "llm-proxy:call",
            "webhooks:read", "webhooks:write", "webhooks:delete",
            dev.appstrate.server.http.AuthContext.ORG_WRITE);
    public static final Set<String> API_KEY_ALLOWED_SET = Set.copyOf(API_KEY_ALLOWED);

    private Scopes() {
    }
}
