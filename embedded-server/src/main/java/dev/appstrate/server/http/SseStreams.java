package dev.appstrate.server.http;

import dev.appstrate.server.concurrent.NamedExecutors;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Every open event stream: caps per credential and overall, a keep-alive that finds departed clients
 * within seconds (a write to a closed connection fails), and an end for all at shutdown.
 */
public final class SseStreams implements AutoCloseable {
    /** Streams open at once, over all credentials. */
    public static final int MAX_STREAMS = 2000;
    /** Streams one credential may hold open. */
    public static final int MAX_STREAMS_PER_CREDENTIAL = 200;
    /** Frames a stream may have waiting before it is cut (its client resumes with Last-Event-ID). */
    static final int QUEUE_FRAMES = 20_000;
    /** Bytes a stream may have waiting (an empty queue still takes one larger frame); live frames are shared by their viewers. */
    public static final long QUEUE_BYTES = 4L << 20;
    /** Bytes of paced frames (a replay's, made for one stream alone) a stream holds before its producer waits: 200 stalled replays, 100 MB. */
    public static final long PACED_BYTES = 512L << 10;
    private static final long KEEPALIVE_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final long PING_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final byte[] KEEPALIVE = ": keep-alive\n\n".getBytes(StandardCharsets.UTF_8);
    private static final byte[] PING = "event: ping\ndata: \n\n".getBytes(StandardCharsets.UTF_8);

    private final int maxStreams;
    private final int maxPerCredential;
    private final Set<SseSink> open = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> perOwner = new HashMap<>();
    private final Map<SseSink, Long> lastPing = new ConcurrentHashMap<>();
    private final ScheduledExecutorService ticker = NamedExecutors.scheduled("sse-keepalive", 1);

    public SseStreams(int maxStreams, int maxPerCredential) {
        this.maxStreams = maxStreams;
        this.maxPerCredential = maxPerCredential;
        ticker.scheduleWithFixedDelay(this::keepAlive, 1, 1, TimeUnit.SECONDS);
    }

    /** A sink for a new stream, or null when a cap is reached (the caller answers 429). */
    SseSink tryOpen(String owner, Response response, Callback callback) {
        synchronized (perOwner) {
            int mine = perOwner.getOrDefault(owner, 0);
            if (open.size() >= maxStreams || mine >= maxPerCredential) {
                return null;
            }
            perOwner.put(owner, mine + 1);
            SseSink sink = new SseSink(response, callback, owner, QUEUE_FRAMES, QUEUE_BYTES, PACED_BYTES);
            open.add(sink);
            lastPing.put(sink, System.nanoTime());
            sink.onEnd(() -> release(sink));
            return sink;
        }
    }

    private void release(SseSink sink) {
        synchronized (perOwner) {
            if (open.remove(sink)) {
                lastPing.remove(sink);
                perOwner.computeIfPresent(sink.owner(), (k, v) -> v <= 1 ? null : v - 1);
            }
        }
    }

    /** Streams open now. */
    public int openCount() {
        return open.size();
    }

    /** The most bytes any one open stream has queued now (its client reads slower than it is sent to). */
    public long largestQueuedBytes() {
        long max = 0;
        for (SseSink sink : open) {
            max = Math.max(max, sink.queuedBytes());
        }
        return max;
    }

    /** Bytes queued over every open stream now (live frames shared by several streams count once per stream). */
    public long totalQueuedBytes() {
        long sum = 0;
        for (SseSink sink : open) {
            sum += sink.queuedBytes();
        }
        return sum;
    }

    private void keepAlive() {
        long now = System.nanoTime();
        for (SseSink sink : open) {
            Long pinged = lastPing.get(sink);
            // offered, not sent: a stream whose queue is at its bound (a paced replay) is not cut for a keep-alive
            if (pinged != null && now - pinged >= PING_NANOS) {
                lastPing.put(sink, now);
                sink.offerKeepAlive(PING);
            } else if (sink.nanosSinceLastWrite() >= KEEPALIVE_NANOS) {
                sink.offerKeepAlive(KEEPALIVE);
            }
        }
    }

    /** Ends every stream (server shutdown): clients see the end at once and reconnect elsewhere or later. */
    public void endAll() {
        for (SseSink sink : open) {
            sink.end();
        }
    }

    @Override
    public void close() {
        endAll();
        ticker.shutdownNow();
    }
}
