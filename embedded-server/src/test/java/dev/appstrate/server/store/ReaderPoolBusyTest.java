package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A read that finds every reader connection taken for the whole wait is "busy" (503 to the caller), not an internal error. */
class ReaderPoolBusyTest {
    private static final int READERS = 8;

    @TempDir
    Path dir;

    @Test
    void aReadWaitingPastTheLimitIsBusyAndTheNextOneAfterTheBurstSucceeds() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(READERS);
        try (SqliteDatabase db = new SqliteDatabase(dir.resolve("appstrate.db"), Duration.ofMillis(300))) {
            db.write(c -> Rows.update(c, "CREATE TABLE t (id INTEGER PRIMARY KEY)"));
            CountDownLatch holding = new CountDownLatch(READERS);
            CountDownLatch release = new CountDownLatch(1);
            List<Future<Long>> held = new ArrayList<>();
            for (int i = 0; i < READERS; i++) {
                held.add(pool.submit(() -> db.read(c -> {
                    holding.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    return Rows.count(c, "SELECT COUNT(*) FROM t");
                })));
            }
            assertTrue(holding.await(30, TimeUnit.SECONDS), "every reader connection taken");

            StoreBusyException busy = assertThrows(StoreBusyException.class, () -> db.read(c -> Rows.count(c, "SELECT 1")));
            assertTrue(busy.getMessage().contains("No read connection"), busy.getMessage());

            release.countDown();
            for (Future<Long> f : held) {
                assertEquals(0L, f.get(30, TimeUnit.SECONDS));
            }
            assertEquals(1L, (long) db.read(c -> Rows.count(c, "SELECT 1")));
        } finally {
            pool.shutdownNow();
        }
    }
}
