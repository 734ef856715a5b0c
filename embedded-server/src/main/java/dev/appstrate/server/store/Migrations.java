package dev.appstrate.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned SQL migrations from {@code db/migration/}, listed in {@code index.txt} in order. Each
 * runs in its own transaction and is recorded in {@code schema_migrations}; a second boot applies nothing.
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String DIR = "/db/migration/";

    /** One migration file: V003__runs.sql has version 3. */
    public record Migration(int version, String name, String sql) {
    }

    private Migrations() {
    }

    public static List<Migration> available() {
        List<Migration> out = new ArrayList<>();
        for (String line : resource("index.txt").split("\n")) {
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            out.add(new Migration(version, name, resource(name)));
        }
        return out;
    }

    /** Applies what is missing; returns how many were applied. */
    public static int apply(Database db, Clock clock) {
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                        + "name TEXT NOT NULL, applied_at TEXT NOT NULL)");
            }
            return null;
        });
        java.util.Set<Integer> done = db.read(c -> {
            java.util.Set<Integer> out = new java.util.HashSet<>();
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT version FROM schema_migrations")) {
                while (rs.next()) {
                    out.add(rs.getInt(1));
                }
            }
            return out;
        });
        int current = done.stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Migration> all = available();
        int newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version();
        if (current > newest) {
            throw new StoreException("The database at " + db.location() + " was written by a newer Appstrate Desktop (schema "
                    + current + ", this build knows " + newest + "). Upgrade the app; the data was left untouched.", null);
        }
        int applied = 0;
        for (Migration m : all) {
            // applied by set, not by high-water mark, so a migration merged out of order still runs
            if (done.contains(m.version())) {
                continue;
            }
            db.write(c -> {
                try (Statement s = c.createStatement()) {
                    for (String stmt : m.sql().split(";\\s*(\\r?\\n|$)")) {
                        if (!stmt.isBlank()) {
                            s.execute(stmt);
                        }
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_migrations(version,name,applied_at) VALUES (?,?,?)")) {
                    ps.setInt(1, m.version());
                    ps.setString(2, m.name());
                    ps.setString(3, clock.instant().toString());
                    ps.executeUpdate();
                }
                return null;
            });
            LOG.debug("Migration applied version={} name={}", m.version(), m.name());
            applied++;
        }
        return applied;
    }

    private static String resource(String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(DIR + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }
}
