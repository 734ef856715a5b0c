package dev.appstrate.server.http;

import java.util.Set;

/**
 * Who is calling. The owner credential and sessions are not pinned to an application; API keys are. An API key's request
 * may act as one of its application's end-users ({@code Appstrate-User: eu_…}, checked at authentication): {@code endUserId}.
 */
public record AuthContext(Kind kind, String userId, String orgId, String pinnedApplicationId, String apiKeyId,
                          Set<String> scopes, String endUserId) {
    public enum Kind { OWNER, SESSION, API_KEY }

    public AuthContext(Kind kind, String userId, String orgId, String pinnedApplicationId, String apiKeyId, Set<String> scopes) {
        this(kind, userId, orgId, pinnedApplicationId, apiKeyId, scopes, null);
    }

    /** The same caller acting as one of its application's end-users. */
    public AuthContext asEndUser(String endUser) {
        return new AuthContext(kind, userId, orgId, pinnedApplicationId, apiKeyId, scopes, endUser);
    }

    /** The scope that lets an application's API key change what every application uses. */
    public static final String ORG_WRITE = "org:write";

    /**
     * Whether this caller may change organization-wide things other applications use (integrations,
     * shared packages, models): the owner credential, or a key holding {@link #ORG_WRITE}.
     */
    public boolean mayChangeOrgWide() {
        return pinnedApplicationId == null || scopes.contains(ORG_WRITE);
    }

    /** The refusal for a caller that may not: 403 naming what it needs. */
    public static ApiException orgWideRefused(String what) {
        return ApiException.forbidden(what + " is shared by every application: changing it needs the owner credential "
                + "or an API key with the " + ORG_WRITE + " scope").codeOverride("org_scope_required");
    }

    /** The rate-limit identity, as the original keys it. */
    public String identity() {
        return kind == Kind.API_KEY ? "apikey:" + apiKeyId : userId;
    }
}
