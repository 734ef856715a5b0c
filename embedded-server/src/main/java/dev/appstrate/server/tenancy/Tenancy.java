package dev.appstrate.server.tenancy;

import dev.appstrate.server.json.JsonTrees;
import dev.appstrate.server.store.Ids;
import java.time.Clock;
import java.time.Instant;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tenancy feature as other features see it: the one local organization and its Default application (created on
 * first boot), and the questions they ask about organizations, applications and end-users.
 */
public final class Tenancy {
    public static final String OWNER_USER_ID = "local-owner";
    private final String orgId;
    private final String defaultApplicationId;
    private final OrganizationRepository organizations;
    private final ApplicationRepository applications;
    private final EndUserRepository endUsers;

    private Tenancy(String orgId, String defaultApplicationId, OrganizationRepository organizations,
                    ApplicationRepository applications, EndUserRepository endUsers) {
        this.orgId = orgId;
        this.defaultApplicationId = defaultApplicationId;
        this.organizations = organizations;
        this.applications = applications;
        this.endUsers = endUsers;
    }

    /**
     * Runs once at boot, under the data folder's lock: no other server creates them meanwhile. Takes the server's
     * repositories (not its own) so the application cache it reads is the one every change invalidates.
     */
    public static Tenancy bootstrap(OrganizationRepository orgs, ApplicationRepository applications, EndUserRepository endUsers,
                                    Clock clock) {
        Instant now = clock.instant();
        String orgId = orgs.firstId().orElseGet(() -> {
            String id = Ids.uuid();
            orgs.insert(id, "Local", "local", now);
            return id;
        });
        String appId = applications.defaultId(orgId).orElseGet(() -> {
            String id = Ids.prefixed("app");
            applications.insert(new Application(id, orgId, "Default", true, JsonTrees.object(), OWNER_USER_ID, now, now));
            return id;
        });
        return new Tenancy(orgId, appId, orgs, applications, endUsers);
    }

    public String orgId() {
        return orgId;
    }

    public String defaultApplicationId() {
        return defaultApplicationId;
    }

    /** The organization an application belongs to; empty when there is no such application. */
    public Optional<String> organizationOf(String applicationId) {
        return applications.byId(applicationId).map(Application::orgId);
    }

    /** Whether the application exists and belongs to this organization (else the caller answers 404). */
    public boolean applicationInOrganization(String applicationId, String orgId) {
        return organizationOf(applicationId).filter(o -> o.equals(orgId)).isPresent();
    }

    /** The names of the organization's applications, by id, newest first. */
    public Map<String, String> applicationNames(String orgId) {
        Map<String, String> out = new LinkedHashMap<>();
        applications.all(orgId).forEach(a -> out.put(a.id(), a.name()));
        return out;
    }

    public Optional<String> organizationName(String orgId) {
        return organizations.name(orgId);
    }

    /** Whether the end-user exists in this application: the one check behind every end-user a caller names. */
    public boolean endUserInApplication(String applicationId, String endUserId) {
        return endUsers.exists(applicationId, endUserId);
    }

    /** The names of each end-user of {@code ids} that still exists, by id (null ids are skipped). */
    public Map<String, EndUserNames> endUserNames(Collection<String> ids) {
        return endUsers.names(ids);
    }

    public Optional<EndUserNames> endUserNames(String endUserId) {
        return endUsers.names(endUserId);
    }
}
