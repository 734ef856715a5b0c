package dev.appstrate.server.tenancy;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Ids;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.Times;
import java.time.Clock;

/** The one local organization and its Default application, created on first boot. */
public final class Tenancy {
    public static final String OWNER_USER_ID = "local-owner";
    private final String orgId;
    private final String defaultApplicationId;

    private Tenancy(String orgId, String defaultApplicationId) {
        this.orgId = orgId;
        this.defaultApplicationId = defaultApplicationId;
    }

    public static Tenancy bootstrap(Database db, Clock clock) {
        return db.write(c -> {
            var org = Rows.one(c, "SELECT id FROM organizations ORDER BY created_at LIMIT 1", rs -> rs.getString(1));
            String orgId;
            String now = Times.iso(clock.instant());
            if (org.isPresent()) {
                orgId = org.get();
            } else {
                orgId = Ids.uuid();
                Rows.update(c, "INSERT INTO organizations(id,name,slug,created_at,updated_at) VALUES (?,?,?,?,?)",
                        orgId, "Local", "local", now, now);
            }
            var app = Rows.one(c, "SELECT id FROM applications WHERE org_id=? AND is_default=1", rs -> rs.getString(1), orgId);
            String appId;
            if (app.isPresent()) {
                appId = app.get();
            } else {
                appId = Ids.prefixed("app");
                Rows.update(c, "INSERT INTO applications(id,org_id,name,is_default,settings,created_by,created_at,updated_at) "
                        + "VALUES (?,?,?,1,'{}',?,?,?)", appId, orgId, "Default", OWNER_USER_ID, now, now);
            }
            return new Tenancy(orgId, appId);
        });
    }

    public String orgId() {
        return orgId;
    }

    public String defaultApplicationId() {
        return defaultApplicationId;
    }
}
