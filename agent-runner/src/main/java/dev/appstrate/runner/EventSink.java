package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import dev.appstrate.runner.http.HttpTransport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's signed HTTP sink (original: {@code HttpSink}). Events become CloudEvents 1.0 envelopes with a
 * per-run {@code sequence} 1, 2, 3… and are POSTed by up to {@link #IN_FLIGHT} sender threads at once, each on a
 * keep-alive connection (the server re-orders by sequence and commits events arriving together in one
 * transaction, so a burst of logs is not one round trip per event); heartbeats ({@code {}})
 * go on their own timer; finalize POSTs the RunResult after the event queue drains. Every request is
 * signed with {@link StandardWebhookSignature}. Retries (same {@code webhook-id}) on network errors, 429 and 5xx
 * with exponential backoff from 120 ms capped at 2 s, ±25 % jitter; other 4xx are final, and 410
 * means the server closed the run's sink, after which nothing more is sent.
 */
public final class EventSink implements AutoCloseable {
    static final int MAX_ATTEMPTS = 8;
    /** Events POSTed at once; within HttpURLConnection's 5 keep-alive connections per server. */
    static final int IN_FLIGHT = 4;
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(15);

    /** How one POST ended. */
    public enum Delivery { DELIVERED, REJECTED, SINK_CLOSED, FAILED }

    private final SinkTarget target;
    private final StandardWebhookSignature signer;
    private final HttpTransport transport;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService sender = Executors.newFixedThreadPool(IN_FLIGHT, daemon("sink-events"));
    /** Guards {@link #pending}; notified when it reaches zero (drain). */
    private final Object sending = new Object();
    /** Events queued or being POSTed. */
    private int pending;
    private final ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor(daemon("sink-heartbeat"));
    private volatile boolean sinkClosed;
    private static final long RETRY_BASE_MILLIS = 120;

    public EventSink(SinkTarget target, HttpTransport transport, Clock clock) {
        this.target = target;
        this.signer = new StandardWebhookSignature(target.secret());
        this.transport = transport;
        this.clock = clock;
    }

    /** True once the server answered 410: the run is already terminal (cancelled, timed out…). */
    public boolean sinkClosed() {
        return sinkClosed;
    }

    /**
     * Queues one event; returns its sequence number, or -1 when the sink is closed.
     *
     * @param data the CloudEvent {@code data} payload (the event's fields without type/timestamp/runId)
     */
    public long emit(String type, JsonNode data) {
        if (sinkClosed) {
            return -1;
        }
        long seq;
        String body;
        String id = UUID.randomUUID().toString();
        synchronized (sequence) {
            // sequence assignment and queueing under one lock keep the queue in sequence order (the server re-orders
            // the few that overtake each other between the sender threads)
            seq = sequence.incrementAndGet();
            ObjectNode env = Json.object();
            env.put("specversion", "1.0");
            env.put("type", type);
            env.put("source", "/afps/runs/" + target.runId());
            env.put("id", id);
            env.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
            env.put("datacontenttype", "application/json");
            env.set("data", data);
            env.put("sequence", seq);
            body = Json.write(env);
            synchronized (sending) {
                pending++;
            }
            try {
                sender.execute(() -> {
                    try {
                        Delivery d = post(target.eventsUrl(), id, body, "application/cloudevents+json", MAX_ATTEMPTS);
                        if (d != Delivery.DELIVERED) {
                            RunnerLog.warn("event not delivered", "type", type, "sequence", seq, "outcome", d);
                        }
                    } finally {
                        sent();
                    }
                });
            } catch (RejectedExecutionException e) {
                sent();
                return -1; // closed: the run is already finalized
            }
        }
        return seq;
    }

    /** Waits until every queued event has been sent (or given up on). */
    public boolean drain(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (sending) {
            while (pending > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(sending, left);
            }
        }
        return true;
    }

    private void sent() {
        synchronized (sending) {
            if (--pending == 0) {
                sending.notifyAll();
            }
        }
    }

    /** Drains the event queue (bounded), then POSTs the RunResult. */
    public Delivery finalizeRun(JsonNode runResult, Duration drainTimeout) throws InterruptedException {
        if (!drain(drainTimeout)) {
            RunnerLog.warn("event queue not drained before finalize", "timeoutMs", drainTimeout.toMillis());
        }
        if (sinkClosed) {
            return Delivery.SINK_CLOSED;
        }
        return post(target.finalizeUrl(), UUID.randomUUID().toString(), Json.write(runResult), "application/json",
                MAX_ATTEMPTS);
    }

    public void startHeartbeat(Duration interval) {
        long ms = interval.toMillis();
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                if (!sinkClosed) {
                    post(target.heartbeatUrl(), UUID.randomUUID().toString(), "{}", "application/json", 1);
                }
            } catch (RuntimeException e) {
                // a throwing periodic task would silently cancel every later heartbeat
                RunnerLog.warn("heartbeat failed", "error", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /**
     * POSTs one file the agent produced to the run's documents route (the original's end-of-run {@code outputs/} sweep):
     * the raw bytes, signed over an empty body with a fresh {@code webhook-id} per attempt (the original claims each id
     * once). Answers the server's document JSON, or null when it was not stored.
     */
    public JsonNode publishDocument(String name, String contentType, byte[] bytes) {
        if (sinkClosed) {
            return null;
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("X-Document-Name", java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        Answer a = send(target.documentsUrl(), () -> UUID.randomUUID().toString(), "", bytes, headers, MAX_ATTEMPTS);
        if (a.delivery() != Delivery.DELIVERED) {
            return null;
        }
        try {
            return Json.parse(new String(a.body(), StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return Json.object();
        }
    }

    private Delivery post(URI url, String msgId, String body, String contentType, int attempts) {
        return send(url, () -> msgId, body, body.getBytes(StandardCharsets.UTF_8), Map.of("Content-Type", contentType), attempts)
                .delivery();
    }

    /** How one request ended, with the answer's body when it was delivered. */
    private record Answer(Delivery delivery, byte[] body) {
    }

    private Answer send(URI url, java.util.function.Supplier<String> ids, String signed, byte[] bytes, Map<String, String> extra,
                        int attempts) {
        for (int attempt = 1; attempt <= attempts; attempt++) {
            Map<String, String> headers = new LinkedHashMap<>(extra);
            headers.putAll(signer.headers(ids.get(), clock.millis() / 1000, signed));
            int status = 0;
            try (HttpTransport.Response resp = transport.post(url, headers, bytes, REQUEST_TIMEOUT)) {
                status = resp.status();
                byte[] answer = resp.body().readAllBytes();
                if (status / 100 == 2) {
                    return new Answer(Delivery.DELIVERED, answer);
                }
                if (status == 410) {
                    sinkClosed = true;
                    RunnerLog.warn("sink closed by server (410); no more events will be sent", "url", url.getPath());
                    return new Answer(Delivery.SINK_CLOSED, null);
                }
                if (status != 429 && status < 500) {
                    RunnerLog.warn("sink rejected request", "status", status, "url", url.getPath());
                    return new Answer(Delivery.REJECTED, null);
                }
            } catch (IOException e) {
                RunnerLog.debug("sink request failed", "url", url.getPath(), "error", e.getClass().getSimpleName());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Answer(Delivery.FAILED, null);
            }
            if (attempt < attempts) {
                long delay = Math.min(2000, RETRY_BASE_MILLIS << (attempt - 1));
                delay = (long) (delay * (1 + ThreadLocalRandom.current().nextDouble() * 0.5 - 0.25));
                try {
                    Thread.sleep(delay);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return new Answer(Delivery.FAILED, null);
                }
            } else {
                RunnerLog.warn("sink request gave up", "url", url.getPath(), "attempts", attempts, "lastStatus", status);
            }
        }
        return new Answer(Delivery.FAILED, null);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        sender.shutdown();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> RunnerLog.error("uncaught failure", "thread", th.getName(),
                    "error", e.toString()));
            return t;
        };
    }
}
