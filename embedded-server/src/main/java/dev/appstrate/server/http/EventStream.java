package dev.appstrate.server.http;

/** A server-sent event stream: opened once the response starts, it writes through its sink from any thread. */
@FunctionalInterface
public interface EventStream {
    /** Sends the first frames and subscribes; returns at once (no thread waits on the stream). */
    void open(EventSink sink);

    /** Where a stream writes. Sending never blocks: frames queue and go out as the client reads. */
    interface EventSink {
        /** Queues one complete SSE frame; false once the stream has ended (client gone, queue full, shutdown). */
        boolean send(String frame);

        /** Ends the stream after what is queued. */
        void end();

        /** Runs once when the stream ends for any reason: release what it holds (subscriptions). */
        void onEnd(Runnable action);
    }
}
