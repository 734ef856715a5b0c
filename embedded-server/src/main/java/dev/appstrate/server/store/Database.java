package dev.appstrate.server.store;

/**
 * The only way into the database. Repositories use it with portable SQL; SQLite is the one
 * implementation today, a PostgreSQL one can be added behind the same interface.
 */
public interface Database extends AutoCloseable {
    /** Runs on a read connection; many reads run at once and never block the writer. */
    <T> T read(SqlFunction<T> work);

    /** Runs in a write transaction; writers run one at a time. */
    <T> T write(SqlFunction<T> work);

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
