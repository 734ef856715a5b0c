package dev.appstrate.server.secrets;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.tenancy.Application;
import dev.appstrate.server.tenancy.ApplicationRepository;
import dev.appstrate.server.tenancy.EndUserRepository;
import dev.appstrate.server.tenancy.OrganizationRepository;
import java.util.LinkedHashMap;
import java.util.Map;

/** Who is asking for connections: organization, application, and member or end-user, asked of the tenancy feature. */
public final class ConnectionCallers {
    static final String END_USER_HEADER = "Appstrate-User";

    /** Who is asking, in which organization and application, as a member or as an end-user. */
    record Caller(String orgId, String applicationId, Connections.Owner owner) {
    }

    private final ApplicationRepository applications;
    private final EndUserRepository endUsers;
    private final OrganizationRepository organizations;

    public ConnectionCallers(ApplicationRepository applications, EndUserRepository endUsers,
                             OrganizationRepository organizations) {
        this.applications = applications;
        this.endUsers = endUsers;
        this.organizations = organizations;
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
            org = applications.byId(req.applicationId()).map(Application::orgId).orElse(null);
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
            if (!endUsers.exists(app != null ? app : auth.pinnedApplicationId(), endUser)) {
                throw new ApiException(403, "invalid_end_user", "Forbidden",
                        "End-user " + endUser + " does not exist in this application").param(END_USER_HEADER);
            }
            return new Caller(org, app, Connections.Owner.endUser(endUser));
        }
        String user = auth.userId() != null ? auth.userId() : auth.identity();
        return new Caller(org, app, Connections.Owner.user(user != null ? user : "owner"));
    }

    /** The names of the organization's applications, by id. */
    Map<String, String> applicationNames(String orgId) {
        Map<String, String> out = new LinkedHashMap<>();
        applications.all(orgId).forEach(a -> out.put(a.id(), a.name()));
        return out;
    }

    String organizationName(String orgId) {
        return organizations.name(orgId).orElse("");
    }
}
