package dev.appstrate.server.store;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/** SQLite in WAL mode: one writer connection behind a lock, a small pool of reader connections. */
public final class SqliteDatabase implements Database {
    private static final Logger LOG = LoggerFactory.getLogger(SqliteDatabase.class);
    private static final int READERS = 8;
    private final Path file;
    private final String url;
    private final Connection writer;
    private final WalCheckpointer checkpointer;
    private final ReentrantLock writeLock = new ReentrantLock();
    private final BlockingQueue<Connection> readers = new ArrayBlockingQueue<>(READERS);
    private final List<Connection> allReaders = new ArrayList<>();
    private final Duration readerWait;
    private volatile boolean closed;

    public SqliteDatabase(Path file) {
        this(file, Duration.ofSeconds(30));
    }

    /** {@code readerWait}: how long a read waits for one of the reader connections before the request is answered 503. */
    SqliteDatabase(Path file, Duration readerWait) {
        this.file = file;
        this.readerWait = readerWait;
        this.url = "jdbc:sqlite:" + file;
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            // SQLite gives -wal and -shm the database file's mode: owner-only from the start
            OwnerOnly.file(file);
            OwnerOnly.tighten(Path.of(file + "-wal"));
            OwnerOnly.tighten(Path.of(file + "-shm"));
            SqliteNativeLibrary.preferCachedCopy();
            writer = open(false);
            try (Statement st = writer.createStatement()) {
                // the WAL is checkpointed off the commit path; the writer only past the backstop
                st.execute("PRAGMA wal_autocheckpoint=" + WalCheckpointer.BACKSTOP_PAGES);
            }
            writer.setAutoCommit(false);
            checkpointer = new WalCheckpointer(open(false));
        } catch (Exception e) {
            throw new StoreException("Cannot open the database at " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Loads the driver and its native library (the verified per-user copy when there is one); the first open does the
     * same, so a failure here is logged and surfaces there as before.
     */
    public static void loadDriver() {
        SqliteNativeLibrary.preferCachedCopy();
        try {
            org.sqlite.SQLiteJDBCLoader.initialize();
            new SQLiteConfig();
        } catch (Exception e) {
            LOG.debug("SQLite driver not loaded ahead of the first open reason={}", e.toString());
        }
    }

    private Connection open(boolean readOnly) throws SQLException {
        SQLiteConfig cfg = new SQLiteConfig();
        cfg.setJournalMode(SQLiteConfig.JournalMode.WAL);
        cfg.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        cfg.enforceForeignKeys(true);
        cfg.setBusyTimeout(10_000);
        if (readOnly) {
            cfg.setReadOnly(true);
        }
        return cfg.createConnection(url);
    }

    @Override
    public <T> T read(SqlFunction<T> work) {
        Connection c = borrowReader();
        try {
            return work.apply(c);
        } catch (SQLException e) {
            throw new StoreException("Database read failed: " + e.getMessage(), e);
        } finally {
            readers.offer(c);
        }
    }

    private Connection borrowReader() {
        Connection c = readers.poll();
        if (c != null) {
            return c;
        }
        synchronized (allReaders) {
            ensureOpen();
            if (allReaders.size() < READERS) {
                try {
                    Connection fresh = open(true);
                    allReaders.add(fresh);
                    return fresh;
                } catch (SQLException e) {
                    throw new StoreException("Cannot open a read connection: " + e.getMessage(), e);
                }
            }
        }
        try {
            c = readers.poll(readerWait.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("Interrupted while waiting for a read connection", e);
        }
        if (c == null) {
            throw new StoreBusyException("No read connection became free within " + readerWait.toSeconds() + " s", null);
        }
        return c;
    }

    @Override
    public <T> T write(SqlFunction<T> work) {
        writeLock.lock();
        try {
            ensureOpen();
            try {
                T result = work.apply(writer);
                writer.commit();
                checkpointer.written();
                return result;
            } catch (SQLException | RuntimeException e) {
                try {
                    writer.rollback();
                } catch (SQLException suppressed) {
                    e.addSuppressed(suppressed);
                }
                if (e instanceof RuntimeException re) {
                    throw re;
                }
                throw new StoreException("Database write failed: " + e.getMessage(), e);
            }
        } finally {
            writeLock.unlock();
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new StoreException("The database is closed", null);
        }
    }

    @Override
    public String kind() {
        return "SQLite (embedded)";
    }

    @Override
    public String location() {
        return file.toString();
    }

    @Override
    public void close() {
        writeLock.lock();
        try {
            if (closed) {
                return;
            }
            closed = true;
            checkpointer.close();
            synchronized (allReaders) {
                for (Connection c : allReaders) {
                    closeQuietly(c);
                }
                allReaders.clear();
                readers.clear();
            }
            try (Statement s = writer.createStatement()) {
                // fold the WAL back into the main file so a clean stop leaves one file behind
                s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
                writer.commit();
            } catch (SQLException ignored) {
                // closing anyway
            }
            closeQuietly(writer);
        } finally {
            writeLock.unlock();
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // nothing useful to do at close
        }
    }
}
