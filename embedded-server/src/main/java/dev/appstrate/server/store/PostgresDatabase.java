package dev.appstrate.server.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.sql.Statement;
import java.util.function.Supplier;

/**
 * PostgreSQL through a small HikariCP pool. Every {@link #write} is one transaction; unlike SQLite several run at once
 * (here and on other instances), so repositories guard races with unique keys, ON CONFLICT, RETURNING and row locks.
 */
public final class PostgresDatabase implements Database {
    /** The original's migration lock id: instances booting together migrate one at a time. */
    private static final long MIGRATION_LOCK = 7246811234567890L;
    private static final int MAX_RETRIES = 3;
    private final DatabaseUrl url;
    private final HikariDataSource pool;

    private PostgresDatabase(DatabaseUrl url, HikariDataSource pool) {
        this.url = url;
        this.pool = pool;
    }

    /** Connects (one connection is opened and checked now); a failure says what was tried and how to test it. */
    public static PostgresDatabase connect(DatabaseUrl url, int maxConnections) {
        HikariConfig cfg = new HikariConfig();
        cfg.setPoolName("db");
        cfg.setJdbcUrl(url.jdbcUrl());
        cfg.setUsername(url.user());
        cfg.setPassword(url.effectivePassword());
        cfg.setMaximumPoolSize(maxConnections);
        cfg.setMinimumIdle(1);
        cfg.setConnectionTimeout(10_000);
        cfg.setInitializationFailTimeout(1); // one attempt at boot: a wrong URL fails fast with the driver's reason
        cfg.addDataSourceProperty("connectTimeout", "10");
        cfg.addDataSourceProperty("ApplicationName", "appstrate-server");
        try {
            return new PostgresDatabase(url, new HikariDataSource(cfg));
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException(url, rootMessage(e), e);
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
            if (t instanceof SQLException) {
                break;
            }
        }
        return String.valueOf(t.getMessage());
    }

    @Override
    public <T> T read(SqlFunction<T> work) {
        try (Connection c = pool.getConnection()) {
            return work.apply(IsoTimestamps.wrap(c));
        } catch (SQLTransientConnectionException e) {
            throw busy(e);
        } catch (SQLException e) {
            throw new StoreException("Database read failed: " + e.getMessage(), e);
        }
    }

    @Override
    public <T> T write(SqlFunction<T> work) {
        for (int attempt = 1; ; attempt++) {
            try (Connection c = pool.getConnection()) {
                c.setAutoCommit(false);
                try {
                    T result = work.apply(IsoTimestamps.wrap(c));
                    c.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollback(c, e);
                    // a deadlock or serialization failure between concurrent writers: the transaction is safe to rerun
                    if (attempt < MAX_RETRIES && retryable(e)) {
                        continue;
                    }
                    if (e instanceof RuntimeException re) {
                        throw re;
                    }
                    throw new StoreException("Database write failed: " + e.getMessage(), e);
                } finally {
                    c.setAutoCommit(true);
                }
            } catch (SQLTransientConnectionException e) {
                throw busy(e);
            } catch (SQLException e) {
                throw new StoreException("Database write failed: " + e.getMessage(), e);
            }
        }
    }

    /** The pool had no free connection within its timeout (Hikari's SQLTransientConnectionException). */
    private static StoreBusyException busy(SQLTransientConnectionException e) {
        return new StoreBusyException("No database connection became free: " + e.getMessage(), e);
    }

    private static void rollback(Connection c, Exception e) {
        try {
            c.rollback();
        } catch (SQLException suppressed) {
            e.addSuppressed(suppressed);
        }
    }

    private static boolean retryable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && ("40001".equals(s.getSQLState()) || "40P01".equals(s.getSQLState()))) {
                return true;
            }
        }
        return false;
    }

    @Override
    public <T> T migrationLock(Supplier<T> body) {
        try (Connection c = pool.getConnection()) {
            try (Statement s = c.createStatement()) {
                s.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
            }
            try {
                return body.get();
            } finally {
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
                }
            }
        } catch (SQLException e) {
            throw new StoreException("Cannot take the migration lock: " + e.getMessage(), e);
        }
    }

    @Override
    public String dialect() {
        return POSTGRESQL;
    }

    @Override
    public String kind() {
        return "PostgreSQL";
    }

    @Override
    public String location() {
        return url.display();
    }

    public DatabaseUrl url() {
        return url;
    }

    @Override
    public void close() {
        pool.close();
    }
}
