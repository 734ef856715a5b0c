package dev.appstrate.server.http;

/** A server-sent event stream: opened once the response starts, it writes through its sink from any thread. */
@FunctionalInterface
public interface EventStream {
    /** Sends the first frames and subscribes; returns at once (no thread waits on the stream). */
    void open(EventSink sink);

    /** One SSE frame: {@code id} (when not null), {@code event} and a one-line {@code data}. */
    static String frame(String event, Long id, String data) {
        StringBuilder sb = new StringBuilder(data.length() + 48);
        if (id != null) {
            sb.append("id: ").append(id).append('\n');
        }
        sb.append("event: ").append(event).append('\n');
        sb.append("data: ").append(data).append("\n\n");
        return sb.toString();
    }

    /** What {@link EventSink#offer} did with a frame. */
    enum Admission {
        QUEUED,
        /** Not queued: the stream's queue is at its bound; the stream goes on (see {@link EventSink#whenDrained}). */
        FULL,
        /** Not queued: the stream has ended. */
        ENDED
    }

    /**
     * Where a stream writes. Sending never blocks: frames queue and go out as the client reads. A stream's queue is bounded
     * by frames and by bytes (a few MB for live frames, which their viewers share; half a MB for a replay's, which are made
     * for one stream); an empty queue always takes one frame, however large.
     */
    interface EventSink {
        /**
         * Queues one complete SSE frame; false once the stream has ended (client gone, shutdown) — or ends it now when the
         * frame is over the queue's bound (a live viewer too slow: it resumes with Last-Event-ID).
         */
        boolean send(String frame);

        /** {@link #send(String)} of a frame already in UTF-8, shared by every stream that sends it (never modified). */
        boolean send(byte[] frame);

        /** Queues a frame a paced producer (a replay) can hold back: over the lower paced bound it is refused and the stream goes on. */
        Admission offer(byte[] frame);

        /**
         * Runs {@code action} once, when the queue is down to half its paced bound and can take the frame {@link #offer}
         * refused last (at once if it already is); never after the stream ended. It runs on a writing thread: it must only hand work to the producer's own executor.
         */
        void whenDrained(Runnable action);

        /** Ends the stream after what is queued. */
        void end();

        /** Runs once when the stream ends for any reason: release what it holds (subscriptions). */
        void onEnd(Runnable action);
    }
}
