package dev.appstrate.server.tenancy;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.json.JsonTrees;
import java.time.Clock;
import java.time.Instant;

/** The one local organization and its Default application, created on first boot. */
public final class Tenancy {
    public static final String OWNER_USER_ID = "local-owner";
    private final String orgId;
    private final String defaultApplicationId;

    private Tenancy(String orgId, String defaultApplicationId) {
        this.orgId = orgId;
        this.defaultApplicationId = defaultApplicationId;
    }

    /** Runs once at boot, under the data folder's lock: no other server creates them meanwhile. */
    public static Tenancy bootstrap(Database db, Clock clock) {
        OrganizationRepository orgs = new OrganizationRepository(db);
        ApplicationRepository applications = new ApplicationRepository(db);
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
        return new Tenancy(orgId, appId);
    }

    public String orgId() {
        return orgId;
    }

    public String defaultApplicationId() {
        return defaultApplicationId;
    }
}
