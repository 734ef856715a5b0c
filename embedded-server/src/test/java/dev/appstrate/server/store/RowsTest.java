package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDBC helpers every repository goes through, on a real SQLite file. */
class RowsTest {
    @TempDir
    Path dir;
    private Database db;

    @BeforeEach
    void open() {
        db = new SqliteDatabase(dir.resolve("rows.db"));
        db.write(c -> Rows.update(c, "CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, "
                + "flag INTEGER, at INTEGER)"));
    }

    @AfterEach
    void close() {
        db.close();
    }

    @Test
    void keyAnswersEachNewRowsIdAndArgumentsBindAsTheColumnsExpect() {
        long first = db.write(c -> Rows.key(c, "INSERT INTO t(name, flag, at) VALUES (?,?,?) RETURNING id", "a", true,
                Rows.epochMillis(java.time.Instant.ofEpochMilli(42))));
        long second = db.write(c -> Rows.key(c, "INSERT INTO t(name, flag, at) VALUES (?,?,?) RETURNING id", "b", false,
                Rows.epochMillis(null)));
        assertEquals(first + 1, second);
        assertEquals(List.of("a:1:42", "b:0:null"), db.read(c -> Rows.list(c, "SELECT name, flag, at FROM t ORDER BY id",
                rs -> rs.getString(1) + ":" + rs.getInt(2) + ":" + rs.getObject(3))));
        assertTrue((boolean) db.read(c -> Rows.exists(c, "SELECT 1 FROM t WHERE name=?", "a")));
        assertFalse((boolean) db.read(c -> Rows.exists(c, "SELECT 1 FROM t WHERE name=?", "z")));
    }

    @Test
    void aBatchRunsOneStatementForEveryRowAndAFailureHalfWayLeavesNothingWritten() {
        List<Long> ids = db.write(c -> {
            try (Rows.Batch insert = Rows.batch(c, "INSERT INTO t(name) VALUES (?) RETURNING id")) {
                return List.of(insert.key("x"), insert.key("y"), insert.key("z"));
            }
        });
        assertEquals(3, ids.stream().distinct().count());
        assertEquals(2, (int) db.write(c -> {
            try (Rows.Batch rename = Rows.batch(c, "UPDATE t SET name=? WHERE name=?")) {
                return rename.update("x2", "x") + rename.update("y2", "y") + rename.update("nobody", "missing");
            }
        }));

        assertThrows(RuntimeException.class, () -> db.write(c -> {
            try (Rows.Batch insert = Rows.batch(c, "INSERT INTO t(name) VALUES (?)")) {
                insert.update("new-1");
                insert.update("x2"); // already taken: the whole write rolls back
            }
            return null;
        }));
        assertEquals(List.of("x2", "y2", "z"), db.read(c -> Rows.list(c, "SELECT name FROM t ORDER BY id", rs -> rs.getString(1))));
    }

    @Test
    void lockRefusesATableNameThatIsNotAPlainIdentifier() {
        // the table is spliced into the SQL text: only a plain identifier may get there, on either engine
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> db.write(c -> { Rows.lock(c, "t WHERE 1=1; DROP TABLE t; --", "1"); return null; }));
        assertTrue(e.getMessage().contains("table"), e.getMessage());
        db.write(c -> { Rows.lock(c, "t", "1"); return null; });
        assertEquals(0L, (long) db.read(c -> Rows.count(c, "SELECT COUNT(*) FROM t")));
    }
}
