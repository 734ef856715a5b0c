package dev.appstrate.server.store;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies the WAL back into the database from its own connection and thread, so commits do not: SQLite's automatic
 * checkpoint runs inside the commit that crosses 1,000 WAL pages, 7–30 ms on the single writer at 1,000 events/s (every
 * ~190th commit, the ingest p99; BENCHMARKS.md issue 19). A passive checkpoint never blocks the writer or readers, and
 * the writer's own automatic checkpoint stays on at {@link #BACKSTOP_PAGES} so the WAL is bounded if this one falls behind.
 * Durability is unchanged: a committed transaction is in the WAL either way, and opening the database replays it.
 */
final class WalCheckpointer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(WalCheckpointer.class);
    /** The writer checkpoints itself only past this many WAL pages (~40 MB at 4 KB pages). */
    static final int BACKSTOP_PAGES = 10_000;
    private static final long INTERVAL_MS = 200;
    private final Connection connection;
    private final ScheduledExecutorService timer = NamedExecutors.scheduled("sqlite-checkpoint", 1);
    private final AtomicBoolean written = new AtomicBoolean();

    /** @param connection a read-write connection of its own, closed with this */
    WalCheckpointer(Connection connection) {
        this.connection = connection;
        timer.scheduleWithFixedDelay(this::checkpoint, INTERVAL_MS, INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    /** Called after a commit: the next tick checkpoints. */
    void written() {
        written.set(true);
    }

    private void checkpoint() {
        if (!written.getAndSet(false)) {
            return;
        }
        try (Statement s = connection.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(PASSIVE)");
        } catch (SQLException e) {
            written.set(true);
            LOG.warn("WAL checkpoint failed, retried on the next tick error={}", e.getMessage());
        }
    }

    /** Stops the thread, then closes the connection (the database's close folds the rest of the WAL in). */
    @Override
    public void close() {
        timer.shutdown();
        try {
            if (!timer.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("WAL checkpoint still running at close");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            connection.close();
        } catch (SQLException ignored) {
            // closing anyway
        }
    }
}
