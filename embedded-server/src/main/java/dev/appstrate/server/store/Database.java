package dev.appstrate.server.store;

import java.util.function.Supplier;

/**
 * The only way into the database. Repositories use it with SQL both engines take (ON CONFLICT, RETURNING):
 * {@link SqliteDatabase} embedded by default, {@link PostgresDatabase} when DATABASE_URL is set.
 */
public interface Database extends AutoCloseable {
    String SQLITE = "sqlite";
    String POSTGRESQL = "postgresql";

    /** Runs on a read connection; many reads run at once and never block the writer. */
    <T> T read(SqlFunction<T> work);

    /**
     * Runs in one write transaction. SQLite runs writers one at a time; PostgreSQL runs them concurrently (also from
     * other instances), so a check-then-write must hold a unique key or a row lock, not rely on a single writer.
     */
    <T> T write(SqlFunction<T> work);

    /** Which SQL dialect: {@link #SQLITE} or {@link #POSTGRESQL}; picks the migration set. */
    default String dialect() {
        return SQLITE;
    }

    /** Runs the body while no other instance migrates the same database (one process per SQLite data folder already). */
    default <T> T migrationLock(Supplier<T> body) {
        return body.get();
    }

    /** A round trip to the database (health checks); throws when it cannot answer. */
    default void ping() {
        read(c -> Rows.count(c, "SELECT 1"));
    }

    /** A short description for the boot log, e.g. "SQLite (embedded)". */
    String kind();

    /** Where the data is, for the boot log. */
    String location();

    @Override
    void close();
}
