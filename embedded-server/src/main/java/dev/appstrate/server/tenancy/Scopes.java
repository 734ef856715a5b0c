package dev.appstrate.server.tenancy;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Every permission a route may require ({@code Route.permission}): those an API key may hold (the original's
 * API_KEY_ALLOWED_SCOPES plus the webhooks module) and those only a signed-in user holds. A test checks that every
 * route's permission is listed here.
 */
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
    /** What a key created without {@code scopes} holds: every allowed scope but {@code org:write}, which must be asked for. */
    public static final List<String> API_KEY_DEFAULT = API_KEY_ALLOWED.stream()
            .filter(s -> !s.equals(dev.appstrate.server.http.AuthContext.ORG_WRITE)).toList();
    /** Managing keys and provider credentials: the original keeps these from API keys, so does this server. */
    public static final List<String> USER_ONLY = List.of("api-keys:read", "api-keys:create", "api-keys:revoke",
            "model-provider-credentials:read", "model-provider-credentials:write", "model-provider-credentials:delete");
    public static final Set<String> ALL = Stream.concat(API_KEY_ALLOWED.stream(), USER_ONLY.stream())
            .collect(Collectors.toUnmodifiableSet());

    private Scopes() {
    }
}
