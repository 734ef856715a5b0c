package dev.appstrate.server.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import dev.appstrate.server.http.EventStream.Admission;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;

/**
 * One open event stream written with Jetty's asynchronous writes: frames queue, one write is in flight
 * at a time, and no thread waits between them. A failed write (the client left) ends the stream. The queue is bounded
 * by frames and by bytes (an empty queue still takes any one frame): a live frame over either bound ends the stream
 * (a slow consumer, which resumes with Last-Event-ID); a paced one ({@link #offer}: a replay's, made for this stream
 * alone) keeps the queue under a lower bound and waits for {@link #whenDrained}.
 */
final class SseSink extends IteratingCallback implements EventStream.EventSink {
    private static final int MAX_WRITE_BYTES = 64 * 1024;

    private final Response response;
    private final Callback callback;
    private final String owner;
    private final int capacity;
    private final long budgetBytes;
    private final long pacedBytes;
    private final AtomicLong queuedBytes = new AtomicLong();
    private final AtomicReference<Runnable> drained = new AtomicReference<>();
    /** The size of the paced frame {@link #offer} refused last: {@link #whenDrained} waits until one that size fits. */
    private volatile long refusedBytes;
    private final ConcurrentLinkedQueue<byte[]> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final List<Runnable> endActions = new CopyOnWriteArrayList<>();
    private final AtomicBoolean ended = new AtomicBoolean();
    private volatile boolean ending;
    private volatile long lastWriteNanos = System.nanoTime();
    private boolean lastWritten;

    SseSink(Response response, Callback callback, String owner, int capacity, long budgetBytes, long pacedBytes) {
        this.response = response;
        this.callback = callback;
        this.owner = owner;
        this.capacity = capacity;
        this.budgetBytes = budgetBytes;
        this.pacedBytes = pacedBytes;
    }

    /** Bytes queued and not yet handed to the socket. */
    long queuedBytes() {
        return queuedBytes.get();
    }

    String owner() {
        return owner;
    }

    long nanosSinceLastWrite() {
        return System.nanoTime() - lastWriteNanos;
    }

    @Override
    public boolean send(String frame) {
        return send(frame.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean send(byte[] frame) {
        Admission a = admit(frame, budgetBytes);
        if (a == Admission.FULL) {
            // fell too far behind: end it; the client resumes with Last-Event-ID from the database
            end();
            return false;
        }
        return a == Admission.QUEUED;
    }

    @Override
    public Admission offer(byte[] frame) {
        Admission a = admit(frame, pacedBytes);
        if (a == Admission.FULL) {
            refusedBytes = frame.length;
        }
        return a;
    }

    /** A keep-alive within the paced bound: never cuts the stream, and a refusal does not move {@link #whenDrained}'s mark. */
    void offerKeepAlive(byte[] frame) {
        admit(frame, pacedBytes);
    }

    /** True when the queue can take the refused frame again, and is at most half the paced bound (an empty queue takes any). */
    private boolean drainedAt(long queuedNow) {
        return queuedNow <= 0 || queuedNow <= Math.min(pacedBytes / 2, pacedBytes - refusedBytes);
    }

    private Admission admit(byte[] frame, long bound) {
        if (ending || ended.get()) {
            return Admission.ENDED;
        }
        long before = queuedBytes.getAndAdd(frame.length);
        if (queued.incrementAndGet() > capacity || before > 0 && before + frame.length > bound) {
            queued.decrementAndGet();
            queuedBytes.addAndGet(-frame.length);
            return Admission.FULL;
        }
        queue.add(frame);
        if (!FrameBatch.defer(this)) {
            iterate();
        }
        return Admission.QUEUED;
    }

    @Override
    public void whenDrained(Runnable action) {
        drained.set(action);
        // the queue may have drained before the action was there to see it
        if (drainedAt(queuedBytes.get())) {
            runDrained();
        }
    }

    private void runDrained() {
        Runnable action = drained.getAndSet(null);
        if (action != null && !ended.get()) {
            action.run();
        }
    }

    /** Writes what {@link FrameBatch} held back. */
    void flush() {
        iterate();
    }

    @Override
    public void end() {
        ending = true;
        iterate();
    }

    @Override
    public void onEnd(Runnable action) {
        endActions.add(action);
        if (ended.get()) {
            runEndActions();
        }
    }

    @Override
    public InvocationType getInvocationType() {
        return InvocationType.NON_BLOCKING; // process() only queues a write
    }

    @Override
    protected Action process() {
        if (lastWritten) {
            return Action.SUCCEEDED;
        }
        // only this method polls, so the frames counted here are the ones taken below
        int frames = 0;
        int size = 0;
        long polled = 0;
        for (byte[] f : queue) {
            if (frames > 0 && size + f.length > MAX_WRITE_BYTES) {
                break;
            }
            size += f.length;
            frames++;
        }
        if (frames == 0) {
            if (ending) {
                lastWritten = true;
                response.write(true, null, this);
                return Action.SCHEDULED;
            }
            return Action.IDLE;
        }
        ByteBuffer buf;
        if (frames == 1) {
            byte[] only = queue.poll();
            polled = only.length;
            buf = ByteBuffer.wrap(only);
        } else {
            // sized to what goes out: a 64 KB buffer per write was most of the writer thread's CPU once writes batched
            buf = ByteBuffer.allocate(size);
            for (int k = 0; k < frames; k++) {
                byte[] f = queue.poll();
                polled += f.length;
                buf.put(f);
            }
            buf.flip();
        }
        queued.addAndGet(-frames);
        if (drainedAt(queuedBytes.addAndGet(-polled)) && drained.get() != null) {
            runDrained(); // a paced producer's next page: it only hands the reading to its own thread
        }
        lastWriteNanos = System.nanoTime();
        response.write(false, buf, this);
        return Action.SCHEDULED;
    }

    @Override
    protected void onCompleteSuccess() {
        finish();
        callback.succeeded();
    }

    @Override
    protected void onCompleteFailure(Throwable cause) {
        finish();
        callback.failed(cause);
    }

    private void finish() {
        ending = true;
        if (ended.compareAndSet(false, true)) {
            queue.clear();
            queuedBytes.set(0);
            drained.set(null);
            runEndActions();
        }
    }

    private void runEndActions() {
        for (Runnable r : endActions) {
            if (endActions.remove(r)) {
                r.run();
            }
        }
    }
}
