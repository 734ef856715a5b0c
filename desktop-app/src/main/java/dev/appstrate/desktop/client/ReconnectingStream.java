package dev.appstrate.desktop.client;

import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server-sent-event stream kept open: a dropped or ended stream is reopened after a backoff (1, 2, 4, 8, then every
 * 10 s; back to 1 s once open), resuming with {@code Last-Event-ID} = the highest event id seen, so the server replays
 * what was missed; a refusal (401, 403) or a server without the stream (404, 405) stops it. {@link #close()} cancels the
 * stream and any pending reopen, after which the listener hears nothing more. Connects run on the given scheduler.
 */
public final class ReconnectingStream implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ReconnectingStream.class);
    private static final long[] BACKOFF_SECONDS = {1, 2, 4, 8, 10};

    /** Opens the stream, sending {@code lastEventId} as Last-Event-ID when it is positive. */
    @FunctionalInterface
    public interface Opener {
        EventSource open(long lastEventId, EventSourceListener listener);
    }

    /** What the stream's owner hears; {@link #event} comes on OkHttp's reader thread, the rest on either thread. */
    public interface Listener {
        /** Connected; {@code again} after a drop. */
        default void opened(boolean again) {
        }

        void event(String type, String data);

        /** The stream dropped or ended; it reopens after {@code retrySeconds}. */
        default void dropped(long retrySeconds) {
        }

        /** The server refused the stream or has none (HTTP {@code code}); nothing is retried. */
        default void refused(int code) {
        }

        /** Just before a reopen, on the scheduler thread (e.g. to catch up stored history first). */
        default void beforeReopen() {
        }
    }

    private final Opener opener;
    private final ScheduledExecutorService scheduler;
    private final Listener listener;
    private final Object lock = new Object();
    private long lastEventId;
    private int failures;
    private boolean everOpened;
    private boolean closed;
    /** The live connection's callbacks (set before opening: OkHttp may call back before open returns). */
    private Events current;
    private ScheduledFuture<?> pending;

    public ReconnectingStream(Opener opener, ScheduledExecutorService scheduler, Listener listener) {
        this.opener = opener;
        this.scheduler = scheduler;
        this.listener = listener;
    }

    /** Opens the stream (on the scheduler), resuming after {@code fromEventId} when it is positive. */
    public void start(long fromEventId) {
        advanceTo(fromEventId);
        scheduler.execute(this::connect);
    }

    /** The resume point: the highest event id seen (or advanced to). */
    public long lastEventId() {
        synchronized (lock) {
            return lastEventId;
        }
    }

    /** Moves the resume point forward, e.g. past history read another way; never back. */
    public void advanceTo(long id) {
        synchronized (lock) {
            lastEventId = Math.max(lastEventId, id);
        }
    }

    /** Drops the current connection as a network failure would; the stream reopens (tests, and a "reconnect" action). */
    public void dropConnection() {
        Events conn;
        synchronized (lock) {
            conn = current;
        }
        if (conn != null) {
            conn.cancel();
            lost(conn);
        }
    }

    @Override
    public void close() {
        Events conn;
        synchronized (lock) {
            closed = true;
            conn = current;
            current = null;
            if (pending != null) {
                pending.cancel(false);
            }
        }
        if (conn != null) {
            conn.cancel();
        }
    }

    private boolean closed() {
        synchronized (lock) {
            return closed;
        }
    }

    private void connect() {
        long from;
        Events conn = new Events();
        synchronized (lock) {
            if (closed) {
                return;
            }
            from = lastEventId;
            current = conn;
        }
        try {
            conn.source(opener.open(from, conn));
        } catch (RuntimeException e) {
            LOG.debug("Opening a stream failed error={}", e.toString());
            lost(conn);
            return;
        }
        if (closed()) {
            conn.cancel();
        }
    }

    /** The connection is gone: schedule one reopen (once per connection, whichever callback comes first). */
    private void lost(Events conn) {
        long delay;
        synchronized (lock) {
            if (closed || current != conn) {
                return;
            }
            current = null;
            delay = BACKOFF_SECONDS[Math.min(failures, BACKOFF_SECONDS.length - 1)];
            failures++;
            pending = scheduler.schedule(this::reopen, delay, TimeUnit.SECONDS);
        }
        listener.dropped(delay);
    }

    private void reopen() {
        if (closed()) {
            return;
        }
        try {
            listener.beforeReopen();
        } catch (RuntimeException e) {
            LOG.debug("Before reopening a stream error={}", e.toString());
        }
        connect();
    }

    /** One connection's callbacks; a callback from a connection that is no longer current is ignored. */
    private final class Events extends EventSourceListener {
        private volatile EventSource source;
        private volatile boolean cancelled;

        void source(EventSource es) {
            source = es;
            if (cancelled) {
                es.cancel();
            }
        }

        void cancel() {
            cancelled = true;
            EventSource es = source;
            if (es != null) {
                es.cancel();
            }
        }

        @Override
        public void onOpen(EventSource es, Response response) {
            boolean again;
            synchronized (lock) {
                if (closed || current != this) {
                    return;
                }
                again = everOpened;
                everOpened = true;
                failures = 0;
            }
            listener.opened(again);
        }

        @Override
        public void onEvent(EventSource es, String id, String type, String data) {
            synchronized (lock) {
                if (closed || current != this) {
                    es.cancel();
                    return;
                }
            }
            if (id != null && !id.isEmpty()) {
                try {
                    advanceTo(Long.parseLong(id));
                } catch (NumberFormatException e) {
                    // ids we cannot resume from are ignored; the server's ids are numbers
                }
            }
            listener.event(type, data);
        }

        @Override
        public void onClosed(EventSource es) {
            lost(this);
        }

        @Override
        public void onFailure(EventSource es, Throwable t, Response response) {
            int code = response == null ? 0 : response.code();
            if (code == 401 || code == 403 || code == 404 || code == 405) {
                synchronized (lock) {
                    if (closed || current != this) {
                        return;
                    }
                    current = null;
                }
                listener.refused(code);
                return;
            }
            lost(this);
        }
    }
}
