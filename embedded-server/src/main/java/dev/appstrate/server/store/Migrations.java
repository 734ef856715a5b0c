package dev.appstrate.server.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Versioned SQL migrations from {@code db/migration/} (SQLite) or {@code db/migration/postgresql/} (the same versions
 * in PostgreSQL's dialect; SchemaParityTest checks both give the same schema), listed in {@code index.txt} in order. Each runs in its own
 * transaction and is recorded in {@code schema_migrations} with the SHA-256 of its file; a second boot applies nothing,
 * and a migration file changed after it was applied is refused at boot (databases from before checksums get theirs
 * recorded on their first boot).
 */
public final class Migrations {
    private static final Logger LOG = LoggerFactory.getLogger(Migrations.class);
    private static final String DIR = "/db/migration/";

    /** Where a dialect's migrations are: one small hand-written set per engine, no migration library at start-up. */
    static String dir(String dialect) {
        return Database.POSTGRESQL.equals(dialect) ? DIR + "postgresql/" : DIR;
    }

    /** One migration file: V003__runs.sql has version 3. */
    public record Migration(int version, String name, String sql) {
        /** SHA-256 of the file with line endings normalized (a checkout with CRLF is the same migration). */
        public String checksum() {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(sql.replace("\r\n", "\n").getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d);
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    /** What the database says it applied. */
    private record Applied(int version, String name, String checksum) {
    }

    private Migrations() {
    }

    public static List<Migration> available() {
        return available(Database.SQLITE);
    }

    public static List<Migration> available(String dialect) {
        String dir = dir(dialect);
        List<Migration> out = new ArrayList<>();
        for (String line : resource(dir, "index.txt").split("\n")) {
            String name = line.trim();
            if (name.isEmpty() || name.startsWith("#")) {
                continue;
            }
            int version = Integer.parseInt(name.substring(1, name.indexOf("__")));
            out.add(new Migration(version, name, resource(dir, name)));
        }
        return out;
    }

    /** Applies what is missing; returns how many were applied. Throws when an applied migration's file changed. */
    public static int apply(Database db, Clock clock) {
        return db.migrationLock(() -> applyLocked(db, clock));
    }

    private static int applyLocked(Database db, Clock clock) {
        boolean sqlite = Database.SQLITE.equals(db.dialect());
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, "
                        + "name TEXT NOT NULL, applied_at TEXT NOT NULL, checksum TEXT)");
            }
            if (sqlite && Rows.count(c, "SELECT COUNT(*) FROM pragma_table_info('schema_migrations') WHERE name = 'checksum'") == 0) {
                // a database from before checksums: its migrations get theirs recorded below
                Rows.update(c, "ALTER TABLE schema_migrations ADD COLUMN checksum TEXT");
            }
            return null;
        });
        Map<Integer, Applied> done = new TreeMap<>();
        for (Applied a : db.read(c -> Rows.list(c, "SELECT version, name, checksum FROM schema_migrations",
                rs -> new Applied(rs.getInt(1), rs.getString(2), rs.getString(3))))) {
            done.put(a.version(), a);
        }
        int current = done.keySet().stream().mapToInt(Integer::intValue).max().orElse(0);
        List<Migration> all = available(db.dialect());
        int newest = all.isEmpty() ? 0 : all.get(all.size() - 1).version();
        if (current > newest) {
            throw new StoreException("The database at " + db.location() + " was written by a newer Appstrate Desktop (schema "
                    + current + ", this build knows " + newest + "). Upgrade the app; the data was left untouched.", null);
        }
        verifyApplied(db, all, done);
        int applied = 0;
        for (Migration m : all) {
            // applied by set, not by high-water mark, so a migration merged out of order still runs
            if (done.containsKey(m.version())) {
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
                Rows.update(c, "INSERT INTO schema_migrations(version, name, applied_at, checksum) VALUES (?, ?, ?, ?)",
                        m.version(), m.name(), clock.instant().toString(), m.checksum());
                return null;
            });
            LOG.debug("Migration applied version={} name={}", m.version(), m.name());
            applied++;
        }
        return applied;
    }

    /** Refuses a migration edited after it ran; records the checksum of one applied before checksums existed. */
    private static void verifyApplied(Database db, List<Migration> all, Map<Integer, Applied> done) {
        for (Migration m : all) {
            Applied a = done.get(m.version());
            if (a == null) {
                continue;
            }
            if (a.checksum() == null) {
                db.write(c -> Rows.update(c, "UPDATE schema_migrations SET checksum = ? WHERE version = ? AND checksum IS NULL",
                        m.checksum(), m.version()));
            } else if (!a.checksum().equals(m.checksum())) {
                throw new StoreException("Migration " + m.name() + " was changed after it was applied to the database at "
                        + db.location() + " (recorded checksum " + a.checksum().substring(0, 12) + ", file now "
                        + m.checksum().substring(0, 12) + "). Restore the file as released and put the change in a new "
                        + "migration; the data was left untouched.", null);
            }
        }
    }

    private static String resource(String dir, String name) {
        try (InputStream in = Migrations.class.getResourceAsStream(dir + name)) {
            if (in == null) {
                throw new IllegalStateException("missing migration resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read migration " + name, e);
        }
    }
}
