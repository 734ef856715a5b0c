package dev.appstrate.server.testing;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** The one condition wait of the server's tests: polls until true, fails (never hangs) after a bound. */
public final class Await {
    public static final Duration PATIENCE = Duration.ofSeconds(60);
    private static final long POLL_MS = 10;

    private Await() {
    }

    /** Waits up to {@link #PATIENCE} for {@code condition}; fails naming {@code what}. */
    public static void until(String what, BooleanSupplier condition) throws InterruptedException {
        until(() -> what, PATIENCE, condition);
    }

    /** Waits up to {@code patience}; {@code what} is built only on failure (e.g. with a process's output). */
    public static void until(Supplier<String> what, Duration patience, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + patience.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("gave up waiting after " + patience.toSeconds() + " s: " + what.get());
            }
            Thread.sleep(POLL_MS);
        }
    }
}
