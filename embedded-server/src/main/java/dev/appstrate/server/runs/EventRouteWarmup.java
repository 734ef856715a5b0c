package dev.appstrate.server.runs;

import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.http.OutboundHttp;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends the runner-event route its first events once the server is ready, so the JIT has compiled it before a real
 * runner's first event (with the installed launcher's C1-only JIT, the first second of a run's events otherwise waits
 * on ≈ 1,400 compilations: BENCHMARKS.md, p99, session 11). The events are signed CloudEvents posted over HTTP to this
 * server's own {@code /api/runs/{id}/events}, for a run that lives only in memory ({@link InFlightRuns#warming}): they
 * are parsed, verified, put in sequence and handed to the log writer like any runner's, whose update finds no such run
 * in the store, so nothing is written and each is answered 410 — no run, log or stream ever shows them. Runs on its own
 * thread after ready (the first 200 does not wait for it), stops early when the server stops, and only logs (debug)
 * if it fails.
 */
public final class EventRouteWarmup implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(EventRouteWarmup.class);
    /** Every tenth request is a batch of this many events, as a runner sends when several are waiting. */
    private static final int BATCH = 5;
    private final URI events;
    private final InFlightRuns inFlight;
    private final int requests;
    private final ActiveRun run;
    private final CompletableFuture<Result> done = new CompletableFuture<>();
    private volatile boolean closed;
    /** Requests answered so far (written by the warm-up's thread only). */
    private volatile int sent;

    /** What the warm-up sent, and how many were answered as a run that is not in the store is (410). */
    public record Result(int requests, int answeredGone, long millis) {
    }

    private EventRouteWarmup(String serverUrl, InFlightRuns inFlight, int requests) {
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String runId = "warm-up-" + UUID.randomUUID();
        this.run = new ActiveRun(runId, "", "", "", Base64.getEncoder().encodeToString(secret), UUID.randomUUID().toString(), null, null);
        this.events = URI.create(serverUrl + "/api/runs/" + runId + "/events");
        this.inFlight = inFlight;
        this.requests = requests;
    }

    /** Starts sending {@code requests} requests to the server at {@code serverUrl} on its own thread; 0: nothing. */
    public static EventRouteWarmup start(String serverUrl, InFlightRuns inFlight, int requests) {
        EventRouteWarmup w = new EventRouteWarmup(serverUrl, inFlight, requests);
        if (requests <= 0) {
            w.done.complete(new Result(0, 0, 0));
        } else {
            NamedExecutors.thread("event-route-warm-up", w::run).start();
        }
        return w;
    }

    /** Completes when the warm-up has ended (never exceptionally: a failure is logged at debug and ends it early). */
    public CompletableFuture<Result> done() {
        return done;
    }

    private void run() {
        long t0 = System.nanoTime();
        int gone = 0;
        inFlight.warming(run);
        try {
            HttpClient client = OutboundHttp.client();
            int seq = 0;
            for (; sent < requests && !closed; sent++) {
                boolean batch = sent % 10 == 9;
                StringBuilder body = new StringBuilder(batch ? "[" : "");
                for (int k = 0; k < (batch ? BATCH : 1); k++) {
                    body.append(k > 0 ? "," : "").append(event(++seq));
                }
                String text = batch ? body.append(']').toString() : body.toString();
                HttpRequest.Builder req = HttpRequest.newBuilder(events).timeout(Duration.ofSeconds(30))
                        .header("Content-Type", batch ? CloudEventBatch.CONTENT_TYPE : "application/cloudevents+json")
                        .POST(HttpRequest.BodyPublishers.ofString(text));
                run.signature.headers(text).forEach(req::header);
                int status = client.send(req.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status != 410) {
                    // not the writer's "no such run": a failed batch moved the sequence, or the server is stopping; each
                    // later event would wait out the gap buffer, so the warm-up ends here
                    LOG.debug("Event route warm-up ended early requests={} status={}", sent + 1, status);
                    break;
                }
                gone++;
            }
            LOG.debug("Event route warmed requests={} answeredGone={} ms={}", sent, gone, (System.nanoTime() - t0) / 1_000_000);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            LOG.debug("Event route warm-up ended early requests={} error={}", sent, e.toString());
        } finally {
            inFlight.warming(null);
            done.complete(new Result(sent, gone, (System.nanoTime() - t0) / 1_000_000));
        }
    }

    /** A runner's {@code log.written} CloudEvent, as {@code EventSink} writes it. */
    private String event(int seq) {
        return "{\"specversion\":\"1.0\",\"type\":\"log.written\",\"source\":\"/afps/runs/" + run.runId + "\",\"id\":\""
                + UUID.randomUUID() + "\",\"time\":\"" + Instant.now() + "\",\"datacontenttype\":\"application/json\","
                + "\"data\":{\"level\":\"info\",\"message\":\"warm-up " + seq + "\"},\"sequence\":" + seq + "}";
    }

    /** The in-memory run's id (random: {@code warm-up-<uuid>}). */
    String runId() {
        return run.runId;
    }

    /** Requests answered so far. */
    int sent() {
        return sent;
    }

    /** The server is stopping: no further request is sent. */
    @Override
    public void close() {
        closed = true;
    }
}
