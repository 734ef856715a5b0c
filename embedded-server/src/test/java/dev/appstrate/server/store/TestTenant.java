package dev.appstrate.server.store;

import dev.appstrate.server.tenancy.ApplicationRepository;
import dev.appstrate.server.tenancy.EndUserRepository;
import dev.appstrate.server.tenancy.OrganizationRepository;
import dev.appstrate.server.tenancy.Tenancy;
import java.nio.file.Path;
import java.sql.Statement;
import java.time.Clock;

/** A real SQLite file (or PostgreSQL database, see TestDatabases) with the migrations applied and one organization + application. */
public final class TestTenant {
    public static final String ORG = "org_test";
    public static final String APP = "app_test";

    private TestTenant() {
    }

    public static Database open(Path file, Clock clock) {
        return seed(dev.appstrate.server.testing.TestDatabases.open(file), clock);
    }

    /** The tenancy service over {@link #ORG} and {@link #APP} (seeded already, so it creates nothing). */
    public static Tenancy tenancy(Database db, Clock clock) {
        return Tenancy.bootstrap(new OrganizationRepository(db), new ApplicationRepository(db), new EndUserRepository(db), clock);
    }

    /** Migrates the database and adds the organization and application (again: nothing changes). */
    public static Database seed(Database db, Clock clock) {
        Migrations.apply(db, clock);
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO organizations (id, name, slug, created_at, updated_at) "
                        + "VALUES ('" + ORG + "', 'Local', 'local', '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z') "
                        + "ON CONFLICT DO NOTHING");
                s.execute("INSERT INTO applications (id, org_id, name, is_default, created_at, updated_at) "
                        + "VALUES ('" + APP + "', '" + ORG + "', 'Default', 1, '2025-01-01T00:00:00Z', '2025-01-01T00:00:00Z') "
                        + "ON CONFLICT DO NOTHING");
            }
            return null;
        });
        return db;
    }
}
