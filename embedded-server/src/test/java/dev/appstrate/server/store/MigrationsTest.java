package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The migration index lists exactly the folder's files; an applied migration's file may not change afterwards. */
class MigrationsTest {
    private static final Path FOLDER = Path.of("src/main/resources/db/migration");

    @TempDir
    Path dir;

    @Test
    void theIndexListsEveryMigrationFileOnceInVersionOrder() throws IOException {
        List<String> files;
        try (Stream<Path> s = Files.list(FOLDER)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        List<String> indexed = Migrations.available().stream().map(Migrations.Migration::name).toList();
        assertEquals(files, indexed, "index.txt must list every file of " + FOLDER + ", in version order");
        List<Integer> versions = Migrations.available().stream().map(Migrations.Migration::version).toList();
        assertEquals(versions.stream().distinct().sorted().toList(), versions, "versions unique and increasing");
    }

    @Test
    void postgresqlHasTheSameMigrationsUnderTheSameVersionsAndNames() throws IOException {
        Path pg = FOLDER.resolve("postgresql");
        List<String> files;
        try (Stream<Path> s = Files.list(pg)) {
            files = s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".sql")).sorted().toList();
        }
        List<String> indexed = Migrations.available(Database.POSTGRESQL).stream().map(Migrations.Migration::name).toList();
        assertEquals(files, indexed, "index.txt must list every file of " + pg + ", in version order");
        assertEquals(Migrations.available().stream().map(Migrations.Migration::name).toList(), indexed,
                "one migration per version on both engines (SchemaParityPostgresTest compares what they build)");
    }

    @Test
    void aMigrationChangedAfterItWasAppliedIsRefusedAtBootAndNothingChanges() {
        Path file = dir.resolve("appstrate.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            Migrations.apply(db, Clock.systemUTC());
            db.write(c -> Rows.update(c, "INSERT INTO server_meta(key, value) VALUES ('probe', 'kept')"));
            // what a changed V002 file looks like from the database: its recorded checksum no longer matches
            db.write(c -> Rows.update(c, "UPDATE schema_migrations SET checksum = 'edited-before-release' WHERE version = 2"));
        }
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            StoreException e = assertThrows(StoreException.class, () -> Migrations.apply(db, Clock.systemUTC()));
            assertTrue(e.getMessage().contains("Migration V002__tenancy.sql was changed after it was applied"), e.getMessage());
            assertTrue(e.getMessage().contains("put the change in a new migration"), e.getMessage());
            assertEquals("kept", db.read(c -> Rows.one(c, "SELECT value FROM server_meta WHERE key = 'probe'",
                    rs -> rs.getString(1))).orElse(null));
        }
    }

    @Test
    void aDatabaseFromBeforeChecksumsGetsThemRecordedAndKeepsItsData() {
        Path file = dir.resolve("appstrate.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            Migrations.apply(db, Clock.systemUTC());
            db.write(c -> {
                Rows.update(c, "INSERT INTO server_meta(key, value) VALUES ('probe', 'kept')");
                // the table as earlier versions created it: no checksum column
                Rows.update(c, "CREATE TABLE old_migrations AS SELECT version, name, applied_at FROM schema_migrations");
                Rows.update(c, "DROP TABLE schema_migrations");
                Rows.update(c, "ALTER TABLE old_migrations RENAME TO schema_migrations");
                return null;
            });
        }
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            assertEquals(0, Migrations.apply(db, Clock.systemUTC()));
            for (Migrations.Migration m : Migrations.available()) {
                String recorded = db.read(c -> Rows.one(c, "SELECT checksum FROM schema_migrations WHERE version = ?",
                        rs -> rs.getString(1), m.version())).orElse(null);
                assertNotNull(recorded, m.name());
                assertEquals(m.checksum(), recorded, m.name());
            }
            assertEquals("kept", db.read(c -> Rows.one(c, "SELECT value FROM server_meta WHERE key = 'probe'",
                    rs -> rs.getString(1))).orElse(null));
            assertEquals(0, Migrations.apply(db, Clock.systemUTC()), "a second boot is quiet");
        }
    }
}
