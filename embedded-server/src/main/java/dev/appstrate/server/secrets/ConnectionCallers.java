package dev.appstrate.server.secrets;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.tenancy.Tenancy;
import java.util.Map;

/** Who is asking for connections: organization, application, and member or end-user, asked of the tenancy feature. */
public final class ConnectionCallers {
    /** Who is asking, in which organization and application, as a member or as an end-user. */
    record Caller(String orgId, String applicationId, Connections.Owner owner) {
    }

    private final Tenancy tenancy;

    public ConnectionCallers(Tenancy tenancy) {
        this.tenancy = tenancy;
    }

    Caller of(ApiRequest req, boolean appScoped) {
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
            org = tenancy.organizationOf(req.applicationId()).orElse(null);
        }
        if (org == null) {
            throw ApiException.forbidden("No organization context");
        }
        if (auth.endUserId() != null) {
            // Appstrate-User, checked at authentication: an end-user of the key's application
            return new Caller(org, app, Connections.Owner.endUser(auth.endUserId()));
        }
        String user = auth.userId() != null ? auth.userId() : auth.identity();
        return new Caller(org, app, Connections.Owner.user(user != null ? user : "owner"));
    }

    /** The names of the organization's applications, by id. */
    Map<String, String> applicationNames(String orgId) {
        return tenancy.applicationNames(orgId);
    }

    String organizationName(String orgId) {
        return tenancy.organizationName(orgId).orElse("");
    }
}
