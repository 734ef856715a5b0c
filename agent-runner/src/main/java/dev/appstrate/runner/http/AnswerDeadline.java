package dev.appstrate.runner.http;

import dev.appstrate.runner.concurrent.NamedExecutors;
import java.net.HttpURLConnection;
import java.time.Duration;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The longest wait for an upload's answer when its socket has no read timeout (see {@code UrlConnectionTransport.postFile}):
 * once it passes, the connection is dropped, which ends the blocked read with an exception.
 */
final class AnswerDeadline {
    private static final ScheduledExecutorService TIMER = NamedExecutors.scheduled("http-answer-deadline");

    private final ScheduledFuture<?> task;
    private volatile boolean fired;

    private AnswerDeadline(HttpURLConnection c, Duration timeout) {
        this.task = TIMER.schedule(() -> {
            fired = true;
            c.disconnect();
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    static AnswerDeadline arm(HttpURLConnection c, Duration timeout) {
        return new AnswerDeadline(c, timeout);
    }

    void cancel() {
        task.cancel(false);
    }

    /** True when the connection was dropped for passing the deadline. */
    boolean fired() {
        return fired;
    }
}
