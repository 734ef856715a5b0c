package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.testing.TestDatabases;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both migration sets build the same schema (JDBC metadata), and PostgreSQL keeps the migrations' checksum rules. */
@Tag("postgresql")
class SchemaParityPostgresTest {
    /** SQLite's declared types and what each may be on PostgreSQL. */
    private static final Map<String, Set<String>> TYPES = Map.of(
            "TEXT", Set.of("text", "json", "jsonb", "timestamptz"),
            "INTEGER", Set.of("int8", "int4"),
            "REAL", Set.of("float8"));

    @TempDir
    Path dir;

    @Test
    void sqliteAndPostgresqlMigrationsBuildTheSameSchema() {
        try (Database sqlite = new SqliteDatabase(dir.resolve("appstrate.db"));
             Database pg = PostgresDatabase.connect(DatabaseUrl.parse(TestDatabases.createDatabase()), 2)) {
            assertEquals(Migrations.available().size(), Migrations.apply(sqlite, Clock.systemUTC()));
            assertEquals(Migrations.available().size(), Migrations.apply(pg, Clock.systemUTC()));
            Schema s = sqlite.read(SchemaParityPostgresTest::schema);
            Schema p = pg.read(SchemaParityPostgresTest::schema);
            assertEquals(s.tables.keySet(), p.tables.keySet(), "tables");
            for (String table : s.tables.keySet()) {
                List<Column> sc = s.tables.get(table);
                List<Column> pc = p.tables.get(table);
                assertEquals(sc.stream().map(Column::name).toList(), pc.stream().map(Column::name).toList(), table + " columns");
                for (int i = 0; i < sc.size(); i++) {
                    Column a = sc.get(i);
                    Column b = pc.get(i);
                    String where = table + "." + a.name;
                    assertTrue(TYPES.getOrDefault(a.type, Set.of()).contains(b.type), where + ": " + a.type + " vs " + b.type);
                    if (a.type.equals("TEXT") && a.name.endsWith("_at") && !table.equals("schema_migrations")) {
                        assertEquals("timestamptz", b.type, where + ": ISO timestamps are timestamptz on PostgreSQL");
                    }
                    if (!s.primaryKeys.get(table).contains(a.name)) { // SQLite lets a TEXT primary key be NULL; PostgreSQL never
                        assertEquals(a.nullable, b.nullable, where + " nullability");
                    }
                }
                assertEquals(s.primaryKeys.get(table), p.primaryKeys.get(table), table + " primary key");
                assertEquals(s.indexes.get(table), p.indexes.get(table), table + " unique keys and indexes");
                assertEquals(s.foreignKeys.get(table), p.foreignKeys.get(table), table + " foreign keys");
            }
        }
    }

    @Test
    void checksumsAreKeptAndAnEditedMigrationIsRefusedOnPostgresql() {
        String url = TestDatabases.createDatabase();
        try (Database pg = PostgresDatabase.connect(DatabaseUrl.parse(url), 2)) {
            // two instances booting at once: the advisory lock lets one migrate, the other finds nothing to do
            CompletableFuture<Integer> a = CompletableFuture.supplyAsync(() -> Migrations.apply(pg, Clock.systemUTC()));
            CompletableFuture<Integer> b = CompletableFuture.supplyAsync(() -> {
                try (Database other = PostgresDatabase.connect(DatabaseUrl.parse(url), 2)) {
                    return Migrations.apply(other, Clock.systemUTC());
                }
            });
            assertEquals(Migrations.available().size(), a.join() + b.join(), "each migration applied exactly once");
            assertEquals(0, Migrations.apply(pg, Clock.systemUTC()), "a second boot is quiet");
            for (Migrations.Migration m : Migrations.available(Database.POSTGRESQL)) {
                assertEquals(m.checksum(), pg.read(c -> Rows.one(c, "SELECT checksum FROM schema_migrations WHERE version = ?",
                        rs -> rs.getString(1), m.version())).orElse(null), m.name());
            }
            pg.write(c -> Rows.update(c, "INSERT INTO server_meta(key, value) VALUES ('probe', 'kept')"));
            pg.write(c -> Rows.update(c, "UPDATE schema_migrations SET checksum = 'edited-before-release' WHERE version = 2"));
            StoreException e = assertThrows(StoreException.class, () -> Migrations.apply(pg, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("Migration V002__tenancy.sql was changed after it was applied"), e.getMessage());
            assertEquals("kept", pg.read(c -> Rows.one(c, "SELECT value FROM server_meta WHERE key = 'probe'",
                    rs -> rs.getString(1))).orElse(null));
        }
    }

    private record Column(String name, String type, boolean nullable) {
    }

    private record Schema(Map<String, List<Column>> tables, Map<String, List<String>> primaryKeys, Map<String, Set<String>> indexes,
                          Map<String, Set<String>> foreignKeys) {
    }

    private static Schema schema(Connection c) throws SQLException {
        DatabaseMetaData md = c.getMetaData();
        Map<String, List<Column>> tables = new TreeMap<>();
        Map<String, List<String>> pks = new TreeMap<>();
        Map<String, Set<String>> indexes = new TreeMap<>();
        Map<String, Set<String>> foreignKeys = new TreeMap<>();
        for (String t : Rows.tables(c)) {
            List<Column> cols = new ArrayList<>();
            try (ResultSet rs = md.getColumns(null, c.getSchema(), t, "%")) {
                while (rs.next()) {
                    cols.add(new Column(rs.getString("COLUMN_NAME"), rs.getString("TYPE_NAME"),
                            rs.getInt("NULLABLE") == DatabaseMetaData.columnNullable));
                }
            }
            tables.put(t, cols);
            Map<Integer, String> pk = new TreeMap<>();
            try (ResultSet rs = md.getPrimaryKeys(null, c.getSchema(), t)) {
                while (rs.next()) {
                    pk.put(rs.getInt("KEY_SEQ"), rs.getString("COLUMN_NAME"));
                }
            }
            pks.put(t, new ArrayList<>(pk.values()));
            // (unique?, columns) of every index except the primary key's: names differ (sqlite_autoindex_… vs …_key)
            Map<String, TreeMap<Integer, String>> byName = new TreeMap<>();
            Map<String, Boolean> unique = new TreeMap<>();
            try (ResultSet rs = md.getIndexInfo(null, c.getSchema(), t, false, false)) {
                while (rs.next()) {
                    String name = rs.getString("INDEX_NAME");
                    if (name == null || rs.getString("COLUMN_NAME") == null) {
                        continue;
                    }
                    byName.computeIfAbsent(name, k -> new TreeMap<>()).put(rs.getInt("ORDINAL_POSITION"), rs.getString("COLUMN_NAME"));
                    unique.put(name, !rs.getBoolean("NON_UNIQUE"));
                }
            }
            Set<String> sigs = new TreeSet<>();
            byName.forEach((name, columns) -> {
                List<String> cs = new ArrayList<>(columns.values());
                if (!cs.equals(pks.get(t))) {
                    sigs.add((unique.get(name) ? "UNIQUE " : "") + (name.startsWith("idx_") ? name + " " : "") + cs);
                }
            });
            indexes.put(t, sigs);
            // column → referenced table.column and what a delete of the referenced row does (cascades must agree)
            Set<String> fks = new TreeSet<>();
            try (ResultSet rs = md.getImportedKeys(null, c.getSchema(), t)) {
                while (rs.next()) {
                    fks.add(rs.getString("FKCOLUMN_NAME") + " -> " + rs.getString("PKTABLE_NAME") + "." + rs.getString("PKCOLUMN_NAME")
                            + " on delete " + rs.getShort("DELETE_RULE"));
                }
            }
            foreignKeys.put(t, fks);
        }
        return new Schema(tables, pks, indexes, foreignKeys);
    }
}
