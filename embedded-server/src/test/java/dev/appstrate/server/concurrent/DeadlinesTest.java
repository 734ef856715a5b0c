package dev.appstrate.server.concurrent;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.appstrate.server.testing.Await;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** What a caller of {@link Deadlines} sees: a future still pending after the delay is expired, a completed one never is. */
class DeadlinesTest {
    @Test
    void onlyTheFuturesStillPendingAfterTheDelayExpireInTheOrderTheyWereWatched() throws Exception {
        ScheduledExecutorService timer = NamedExecutors.scheduled("deadlines-test", 1);
        try {
            Deadlines deadlines = new Deadlines(50, TimeUnit.MILLISECONDS, timer, 10);
            List<String> expired = new CopyOnWriteArrayList<>();
            CompletableFuture<String> answered = new CompletableFuture<>();
            CompletableFuture<String> first = new CompletableFuture<>();
            CompletableFuture<String> second = new CompletableFuture<>();
            deadlines.watch(first, () -> expired.add("first"));
            deadlines.watch(answered, () -> expired.add("answered"));
            deadlines.watch(second, () -> expired.add("second"));
            answered.complete("in time");
            Await.until("both pending futures expired", () -> expired.size() == 2);
            assertEquals(List.of("first", "second"), expired);
            deadlines.watch(CompletableFuture.completedFuture("done"), () -> expired.add("done"));
            CompletableFuture<String> later = new CompletableFuture<>();
            deadlines.watch(later, () -> expired.add("later"));
            Await.until("the later one expired", () -> expired.size() == 3);
            assertEquals(List.of("first", "second", "later"), expired);
        } finally {
            timer.shutdownNow();
        }
    }

    @Test
    void anEntryWhoseActionThrowsAnErrorDoesNotHoldBackTheOtherOverdueOnes() throws Exception {
        ScheduledExecutorService timer = NamedExecutors.scheduled("deadlines-test", 1);
        try {
            // the timer's own sweep comes in an hour: this test sweeps by hand, once
            Deadlines deadlines = new Deadlines(0, TimeUnit.MILLISECONDS, timer, 3_600_000);
            List<String> expired = new CopyOnWriteArrayList<>();
            deadlines.watch(new CompletableFuture<>(), () -> expired.add("first"));
            deadlines.watch(new CompletableFuture<>(), () -> {
                throw new StackOverflowError("an expiry action's bug");
            });
            deadlines.watch(new CompletableFuture<>(), () -> expired.add("third"));
            deadlines.sweep();
            assertEquals(List.of("first", "third"), expired, "the sweep went on past the failed action");
        } finally {
            timer.shutdownNow();
        }
    }
}
