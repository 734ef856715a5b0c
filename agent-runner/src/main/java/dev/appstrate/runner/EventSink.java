// Over 400 lines: the one sender of a run's protocol (ordering, batching, 413 splits and stand-ins, retries, signing), kept together.
package dev.appstrate.runner;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.appstrate.runner.concurrent.NamedExecutors;
import dev.appstrate.runner.http.HttpTransport;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The run's signed HTTP sink (original: {@code HttpSink}). Events become CloudEvents 1.0 envelopes with a
 * per-run {@code sequence} 1, 2, 3… and are POSTed by up to {@link #IN_FLIGHT} sender threads at once, each on a
 * keep-alive connection (the server re-orders by sequence and commits events arriving together in one
 * transaction). A lone event goes alone at once, as the original's runners send it; when several are waiting, a
 * sender takes them all (in sequence order, up to {@link #MAX_BATCH_EVENTS}) as one CloudEvents batch
 * ({@link #BATCH_CONTENT_TYPE}), so a burst of logs is not one request per event; a server that refuses the batch
 * (400/404/415: the original's) gets them one by one, and every later event alone; one too large (413) goes again
 * as two halves, and later batches are capped at that size; a lone event too large (413) is replaced by a warning at its
 * sequence, so no gap holds the later ones back. Log messages and data are cut to {@link LogLimits} before sending. Heartbeats ({@code {}})
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
    /** The server answers a document once it is stored: an S3 put of up to 100 MiB may take far longer than an event. */
    private static final Duration DOCUMENT_TIMEOUT = Duration.ofMinutes(2);
    /** The CloudEvents HTTP binding's batched mode: our server's extension {@code run_event_batches}. */
    static final String BATCH_CONTENT_TYPE = "application/cloudevents-batch+json";
    /** Under the server's cap (1,000): smaller batches keep the 4 requests in flight overlapping (one parsed while another commits). */
    static final int MAX_BATCH_EVENTS = 250;
    /** Far inside the server's default 10 MiB body limit. */
    private static final int MAX_BATCH_CHARS = 1 << 20;

    /** One event waiting for a sender: its sequence, CloudEvent id (the webhook-id when sent alone) and envelope. */
    private record Queued(long seq, String id, String type, String body) {
    }

    /** How one POST ended. */
    public enum Delivery { DELIVERED, REJECTED, SINK_CLOSED, FAILED }

    private final SinkTarget target;
    private final SignedRequests requests;
    private final HttpTransport transport;
    private final Clock clock;
    private final AtomicLong sequence = new AtomicLong();
    private final ExecutorService sender = NamedExecutors.fixed("sink-events", IN_FLIGHT);
    /** Guards {@link #pending} and {@link #waiting}; notified when pending reaches zero (drain). */
    private final Object sending = new Object();
    /** Events queued or being POSTed. */
    private int pending;
    /** Events not yet taken by a sender, in sequence order. */
    private final ArrayDeque<Queued> waiting = new ArrayDeque<>();
    /** Off once the server refuses the batched content type (the original's servers do): one event per request. */
    private volatile boolean batches = true;
    /** Events per batch; halved by each 413 (a server with a smaller cap or body limit) so later batches fit. */
    private volatile int batchCap = MAX_BATCH_EVENTS;
    private final ScheduledExecutorService heartbeat = NamedExecutors.scheduled("sink-heartbeat");
    private volatile boolean sinkClosed;

    public EventSink(SinkTarget target, HttpTransport transport, Clock clock) {
        this.target = target;
        this.requests = new SignedRequests(new StandardWebhookSignature(target.secret()), clock, () -> sinkClosed = true);
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
        String id = UUID.randomUUID().toString();
        synchronized (sequence) {
            // sequence assignment and queueing under one lock keep the queue in sequence order (the server re-orders
            // the few that overtake each other between the sender threads)
            seq = sequence.incrementAndGet();
            // a log row's message and data within the server's rule: never an event the server would cut or refuse for them
            Queued event = new Queued(seq, id, type, envelope(type, id, LogLimits.event(type, data), seq));
            synchronized (sending) {
                pending++;
                waiting.add(event);
            }
            try {
                sender.execute(this::sendWaiting);
            } catch (RejectedExecutionException e) {
                synchronized (sending) {
                    if (waiting.remove(event)) {
                        sent(1);
                    }
                }
                return -1; // closed: the run is already finalized
            }
        }
        return seq;
    }

    /** The CloudEvents 1.0 envelope of one event, as JSON text. */
    private String envelope(String type, String id, JsonNode data, long seq) {
        ObjectNode env = Json.object();
        env.put("specversion", "1.0");
        env.put("type", type);
        env.put("source", "/afps/runs/" + target.runId());
        env.put("id", id);
        env.put("time", clock.instant().truncatedTo(ChronoUnit.MILLIS).toString());
        env.put("datacontenttype", "application/json");
        env.set("data", data);
        env.put("sequence", seq);
        return Json.write(env);
    }

    /**
     * One sender's turn: everything waiting (in sequence order, up to the batch caps) goes as one request; a lone event
     * goes alone, as the original's runners send it. Another sender may already have taken it all.
     */
    private void sendWaiting() {
        List<Queued> batch = new ArrayList<>();
        synchronized (sending) {
            int bytes = 0;
            while (!waiting.isEmpty()) {
                Queued next = waiting.peek();
                if (!batch.isEmpty() && (!batches || batch.size() >= batchCap || bytes + next.body.length() > MAX_BATCH_CHARS)) {
                    break;
                }
                batch.add(waiting.poll());
                bytes += next.body.length();
            }
        }
        if (batch.isEmpty()) {
            return;
        }
        try {
            if (batch.size() == 1) {
                sendOne(batch.get(0));
            } else {
                sendBatch(batch);
            }
        } finally {
            sent(batch.size());
        }
    }

    private void sendOne(Queued e) {
        SignedRequests.Answer a = post(target.eventsUrl(), e.id, e.body, "application/cloudevents+json", MAX_ATTEMPTS);
        if (a.delivery() == Delivery.REJECTED && a.status() == 413) {
            sendInPlaceOf(e);
        } else if (a.delivery() != Delivery.DELIVERED) {
            RunnerLog.warn("event not delivered", "type", e.type, "sequence", e.seq, "outcome", a.delivery());
        }
    }

    /**
     * An event too large for the server (413, over its body limit: nothing of it was stored) is replaced by a small warning
     * at its sequence, so the server's order goes on at once instead of holding every later event behind the gap.
     */
    private void sendInPlaceOf(Queued e) {
        long bytes = e.body.getBytes(StandardCharsets.UTF_8).length;
        String message = "event dropped: " + e.type + " of " + bytes + " bytes is over the server's request size limit";
        RunnerLog.warn("event too large for the server; a warning takes its sequence", "type", e.type, "sequence", e.seq,
                "bytes", bytes);
        String id = UUID.randomUUID().toString();
        String body = envelope("log.written", id, Json.object().put("level", "warn").put("message", message), e.seq);
        Delivery d = post(target.eventsUrl(), id, body, "application/cloudevents+json", MAX_ATTEMPTS).delivery();
        if (d != Delivery.DELIVERED) {
            RunnerLog.warn("event not delivered", "type", "log.written", "sequence", e.seq, "outcome", d);
        }
    }

    /**
     * A batch refused as such (a server without our batched mode) goes again one by one; 400/404/415 turn batching off for
     * the run. One too large for the server (413: over its event cap or body limit; nothing of it was stored) is split in
     * two halves sent in order, and later batches are capped at that half, so the same batch is never sent twice.
     */
    private void sendBatch(List<Queued> batch) {
        StringBuilder body = new StringBuilder(batch.size() * 256).append('[');
        for (Queued e : batch) {
            body.append(body.length() > 1 ? "," : "").append(e.body);
        }
        SignedRequests.Answer a = post(target.eventsUrl(), UUID.randomUUID().toString(), body.append(']').toString(), BATCH_CONTENT_TYPE, MAX_ATTEMPTS);
        if (a.delivery() == Delivery.REJECTED && a.status() == 413) {
            int half = batch.size() / 2;
            if (half < batchCap) {
                batchCap = Math.max(1, half);
                RunnerLog.info("server refused a batch as too large; sending smaller batches", "events", batch.size(), "cap", half);
            }
            sendSplit(batch.subList(0, half));
            sendSplit(batch.subList(half, batch.size()));
        } else if (a.delivery() == Delivery.REJECTED) {
            if (a.status() == 400 || a.status() == 404 || a.status() == 415) {
                if (batches) {
                    batches = false;
                    RunnerLog.info("server refused batched events; sending them one at a time", "status", a.status());
                }
            }
            batch.forEach(this::sendOne);
        } else if (a.delivery() != Delivery.DELIVERED) {
            RunnerLog.warn("events not delivered", "count", batch.size(), "firstSequence", batch.get(0).seq,
                    "lastSequence", batch.get(batch.size() - 1).seq, "outcome", a.delivery());
        }
    }

    private void sendSplit(List<Queued> part) {
        if (part.size() == 1) {
            sendOne(part.get(0));
        } else if (!part.isEmpty()) {
            sendBatch(part);
        }
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

    private void sent(int events) {
        synchronized (sending) {
            pending -= events;
            if (pending == 0) {
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
                MAX_ATTEMPTS).delivery();
    }

    public void startHeartbeat(Duration interval) {
        long ms = interval.toMillis();
        heartbeat.scheduleAtFixedRate(() -> {
            try {
                if (!sinkClosed) {
                    post(target.heartbeatUrl(), UUID.randomUUID().toString(), "{}", "application/json", 1);
                }
            } catch (RuntimeException e) {
                RunnerLog.warn("heartbeat failed", "error", e.toString());
            }
        }, ms, ms, TimeUnit.MILLISECONDS);
    }

    /** How one document's publication ended: the server's document JSON, or the refusal's status (0: none came) and detail. */
    public record Publication(JsonNode document, int status, String detail) {
    }

    /**
     * POSTs one file the agent produced to the run's documents route (the original's end-of-run {@code outputs/} sweep):
     * the raw bytes streamed from the file (never read whole into the runner's heap), signed over an empty body with a
     * fresh {@code webhook-id} per attempt (the original claims each id once). A 4xx is final, as for events.
     */
    public Publication publishDocument(String name, String contentType, Path file) {
        if (sinkClosed) {
            return new Publication(null, 410, null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", contentType);
        headers.put("X-Document-Name", java.net.URLEncoder.encode(name, StandardCharsets.UTF_8).replace("+", "%20"));
        URI url = target.documentsUrl();
        SignedRequests.Answer a = requests.send(url, () -> UUID.randomUUID().toString(), "", h -> transport.post(url, h, HttpTransport.Body.of(file), DOCUMENT_TIMEOUT),
                headers, MAX_ATTEMPTS);
        if (a.delivery() != Delivery.DELIVERED) {
            return new Publication(null, a.delivery() == Delivery.SINK_CLOSED ? 410 : a.status(), detail(a.body()));
        }
        try {
            return new Publication(Json.parse(new String(a.body(), StandardCharsets.UTF_8)), 200, null);
        } catch (RuntimeException e) {
            return new Publication(Json.object(), 200, null);
        }
    }

    /** A problem+json answer's {@code detail}, or null. */
    private static String detail(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            JsonNode d = Json.parse(new String(body, StandardCharsets.UTF_8)).path("detail");
            return d.isTextual() && !d.asText().isBlank() ? d.asText() : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private SignedRequests.Answer post(URI url, String msgId, String body, String contentType, int attempts) {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        return requests.send(url, () -> msgId, body, h -> transport.post(url, h, bytes, REQUEST_TIMEOUT), Map.of("Content-Type", contentType),
                attempts);
    }

    @Override
    public void close() {
        heartbeat.shutdownNow();
        sender.shutdown();
    }
}
