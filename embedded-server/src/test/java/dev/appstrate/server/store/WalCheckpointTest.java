package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The WAL reaches the database file from the background checkpoint, with no commit crossing SQLite's own threshold. */
class WalCheckpointTest {
    private static final int ROWS = 400;
    private static final int ROW_BYTES = 4000;

    @TempDir
    Path dir;

    @Test
    void committedPagesReachTheDatabaseFileWhileOpenAndNothingIsLost() throws Exception {
        Path file = dir.resolve("appstrate.db");
        try (SqliteDatabase db = new SqliteDatabase(file)) {
            db.write(c -> Rows.update(c, "CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB NOT NULL)"));
            long before = Files.size(file);
            for (int i = 0; i < ROWS; i++) {
                db.write(c -> Rows.update(c, "INSERT INTO t (body) VALUES (?)", (Object) new byte[ROW_BYTES]));
            }
            // ~1,000 WAL pages, far below the writer's own checkpoint at 10,000: only the background checkpoint copies them
            long expected = before + (long) ROWS * ROW_BYTES;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (Files.size(file) < expected && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
            }
            assertTrue(Files.size(file) >= expected, "database file " + Files.size(file) + " bytes, expected at least " + expected);
            // a second process-like opener sees every committed row
            try (SqliteDatabase other = new SqliteDatabase(file)) {
                assertEquals((long) ROWS, (long) other.read(c -> Rows.count(c, "SELECT COUNT(*) FROM t")));
            }
        }
    }
}
