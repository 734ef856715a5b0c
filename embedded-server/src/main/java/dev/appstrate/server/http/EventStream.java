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

    /** Where a stream writes. Sending never blocks: frames queue and go out as the client reads. */
    interface EventSink {
        /** Queues one complete SSE frame; false once the stream has ended (client gone, queue full, shutdown). */
        boolean send(String frame);

        /** Queues one complete SSE frame already in UTF-8, shared by every stream that sends it (never modified). */
        boolean send(byte[] frame);

        /** Ends the stream after what is queued. */
        void end();

        /** Runs once when the stream ends for any reason: release what it holds (subscriptions). */
        void onEnd(Runnable action);
    }
}
