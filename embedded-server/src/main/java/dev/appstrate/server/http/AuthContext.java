package dev.appstrate.server.http;

import java.util.Set;

/** Who is calling. The owner credential and sessions are not pinned to an application; API keys are. */
public record AuthContext(Kind kind, String userId, String orgId, String pinnedApplicationId, String apiKeyId,
                          Set<String> scopes) {
    public enum Kind { OWNER, SESSION, API_KEY }

    /** The rate-limit identity, as the original keys it. */
    public String identity() {
        return kind == Kind.API_KEY ? "apikey:" + apiKeyId : userId;
    }
}
