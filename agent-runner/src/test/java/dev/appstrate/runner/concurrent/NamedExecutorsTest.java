package dev.appstrate.runner.concurrent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The runner's periodic work (its heartbeat) outlives a failing period. */
class NamedExecutorsTest {
    @Test
    void aPeriodicTaskThatThrowsAnErrorRunsAgainAtItsNextPeriod() throws Exception {
        ScheduledExecutorService timer = NamedExecutors.scheduled("named-executors-test");
        try {
            AtomicInteger runs = new AtomicInteger();
            CountDownLatch again = new CountDownLatch(1);
            timer.scheduleAtFixedRate(() -> {
                if (runs.incrementAndGet() == 1) {
                    throw new AssertionError("the first period fails");
                }
                again.countDown();
            }, 0, 1, TimeUnit.MILLISECONDS);
            assertTrue(again.await(30, TimeUnit.SECONDS), "the task was cancelled by its first failure");
        } finally {
            timer.shutdownNow();
        }
    }
}
