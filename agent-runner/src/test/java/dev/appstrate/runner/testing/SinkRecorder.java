package dev.appstrate.runner.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.appstrate.runner.StandardWebhookSignature;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

/**
 * A loopback stand-in for the server's run sink. Receives events ({@code …/events}), heartbeats
 * ({@code …/heartbeat}) and finalize ({@code …/finalize}), verifies each signature with
 * {@link StandardWebhookSignature} (401 when invalid, and the request lands in {@link #rejected()}) and records
 * everything.
 *
 * <pre>{@code
 * try (SinkRecorder sink = SinkRecorder.start()) {
 *     env.putAll(sink.sinkEnv("run_1"));       // APPSTRATE_SINK_URL / _FINALIZE_URL / _SECRET
 *     ... run ...
 *     JsonNode result = sink.awaitFinalize(Duration.ofSeconds(10));
 *     List<JsonNode> events = sink.eventEnvelopes();
 * }
 * }</pre>
 */
public final class SinkRecorder implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    static {
        // com.sun.net.httpserver leaves Nagle on by default: with the client's delayed ACK every small
        // response then costs ~40 ms. Must be set before the first HttpServer of the JVM is created.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    public enum Kind { EVENT, HEARTBEAT, FINALIZE }

    /** One received request. {@code json} is {@code null} when the body is not JSON. */
    public record Received(Kind kind, String path, Map<String, String> headers, String body, JsonNode json,
                           StandardWebhookSignature.Verdict verdict, Instant at) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    private final String secret;
    private final StandardWebhookSignature signature;
    private final HttpServer server;
    private final ExecutorService executor;
    private final List<Received> accepted = new CopyOnWriteArrayList<>();
    private final List<Received> rejected = new CopyOnWriteArrayList<>();
    private final CountDownLatch finalized = new CountDownLatch(1);
    private final AtomicInteger failEvents = new AtomicInteger();
    private volatile int failStatus = 503;
    private volatile boolean closedSink;
    private volatile boolean acceptBatches;
    private final AtomicInteger refusedBatches = new AtomicInteger();
    private volatile int maxBatchEvents = Integer.MAX_VALUE;
    private final AtomicInteger tooLargeBatches = new AtomicInteger();

    private SinkRecorder(String secret) {
        this.secret = secret;
        this.signature = new StandardWebhookSignature(secret);
        try {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "sink-recorder");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts with a fresh random secret (base64url of 32 bytes, like the original's sink secrets). */
    public static SinkRecorder start() {
        byte[] b = new byte[32];
        new SecureRandom().nextBytes(b);
        return start(Base64.getUrlEncoder().withoutPadding().encodeToString(b));
    }

    public static SinkRecorder start(String secret) {
        return new SinkRecorder(secret);
    }

    public String secret() {
        return secret;
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public String eventsUrl(String runId) {
        return baseUrl() + "/api/runs/" + runId + "/events";
    }

    public String finalizeUrl(String runId) {
        return eventsUrl(runId) + "/finalize";
    }

    public String heartbeatUrl(String runId) {
        return eventsUrl(runId) + "/heartbeat";
    }

    /** {@code APPSTRATE_SINK_URL}, {@code APPSTRATE_SINK_FINALIZE_URL} and {@code APPSTRATE_SINK_SECRET} for a run. */
    public Map<String, String> sinkEnv(String runId) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("APPSTRATE_SINK_URL", eventsUrl(runId));
        env.put("APPSTRATE_SINK_FINALIZE_URL", finalizeUrl(runId));
        env.put("APPSTRATE_SINK_SECRET", secret);
        return env;
    }

    /** Answer the next {@code n} event POSTs with {@code status} (to exercise the runner's retries). */
    public void failNextEvents(int n, int status) {
        failStatus = status;
        failEvents.set(n);
    }

    /**
     * Accept CloudEvents batches ({@code application/cloudevents-batch+json}, our server's extension) and record each
     * element; by default a batch is answered 400, as the original's server answers a body that is not one CloudEvent.
     */
    public SinkRecorder acceptBatches() {
        acceptBatches = true;
        return this;
    }

    /** Accept batches of at most {@code max} events; a larger one is answered 413 {@code too_many_events}, nothing recorded. */
    public SinkRecorder acceptBatchesUpTo(int max) {
        acceptBatches = true;
        maxBatchEvents = max;
        return this;
    }

    /** Batches answered 413 because they held more than {@link #acceptBatchesUpTo} events. */
    public int tooLargeBatches() {
        return tooLargeBatches.get();
    }

    /** Batches answered 400 because batches are not accepted. */
    public int refusedBatches() {
        return refusedBatches.get();
    }

    /** From now on answer 410 {@code run_sink_closed}, like a server whose run is already terminal. */
    public void closeSink() {
        closedSink = true;
    }

    /** Validly signed requests, in arrival order. */
    public List<Received> received() {
        return List.copyOf(accepted);
    }

    /** Requests whose signature did not verify (answered 401). */
    public List<Received> rejected() {
        return List.copyOf(rejected);
    }

    /**
     * Accepted event envelopes de-duplicated by {@code webhook-id} (retries; a batch's elements by their CloudEvent id),
     * in {@code sequence} order as a server re-orders them: the runner keeps several events in flight, so arrival order
     * may differ.
     */
    public List<JsonNode> eventEnvelopes() {
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        for (Received r : accepted) {
            if (r.kind() == Kind.EVENT && r.json() != null && r.json().isArray()) {
                r.json().forEach(e -> byId.putIfAbsent(e.path("id").asText(), e));
            } else if (r.kind() == Kind.EVENT) {
                byId.putIfAbsent(r.header(StandardWebhookSignature.HEADER_ID), r.json());
            }
        }
        List<JsonNode> events = new ArrayList<>(byId.values());
        events.sort(java.util.Comparator.comparingLong(e -> e.path("sequence").asLong(Long.MAX_VALUE)));
        return events;
    }

    /** Whether the finalize arrived after every event (the runner drains what is in flight first). */
    public boolean finalizeAfterEvents() {
        int lastEvent = -1;
        int fin = -1;
        List<Received> all = received();
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).kind() == Kind.EVENT) {
                lastEvent = i;
            } else if (all.get(i).kind() == Kind.FINALIZE && fin < 0) {
                fin = i;
            }
        }
        return fin < 0 || fin > lastEvent;
    }

    /** Event envelopes of one CloudEvent {@code type}. */
    public List<JsonNode> events(String type) {
        return eventEnvelopes().stream().filter(e -> type.equals(e.path("type").asText()))
                .collect(Collectors.toList());
    }

    public int heartbeats() {
        return (int) accepted.stream().filter(r -> r.kind() == Kind.HEARTBEAT).count();
    }

    public Optional<Received> finalizeRequest() {
        return accepted.stream().filter(r -> r.kind() == Kind.FINALIZE).findFirst();
    }

    public Optional<JsonNode> finalizeBody() {
        return finalizeRequest().map(Received::json);
    }

    /** Waits for a validly signed finalize; throws {@link AssertionError} on timeout. */
    public JsonNode awaitFinalize(Duration timeout) throws InterruptedException {
        if (!finalized.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("no finalize within " + timeout + "; received " + accepted.size()
                    + " signed requests, rejected " + rejected.size());
        }
        return finalizeBody().orElseThrow();
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            Map<String, String> headers = new LinkedHashMap<>();
            ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(Locale.ROOT), v.isEmpty() ? "" : v.get(0)));
            String path = ex.getRequestURI().getPath();
            Kind kind = path.endsWith("/finalize") ? Kind.FINALIZE : path.endsWith("/heartbeat") ? Kind.HEARTBEAT : Kind.EVENT;
            StandardWebhookSignature.Verdict verdict = signature.verify(headers.get(StandardWebhookSignature.HEADER_ID),
                    headers.get(StandardWebhookSignature.HEADER_TIMESTAMP), headers.get(StandardWebhookSignature.HEADER_SIGNATURE), body);
            JsonNode json;
            try {
                json = JSON.readTree(body);
            } catch (IOException e) {
                json = null;
            }
            Received r = new Received(kind, path, headers, body, json, verdict, Instant.now());
            if (!"POST".equals(ex.getRequestMethod())) {
                reply(ex, 405, "{\"error\":\"method_not_allowed\"}");
                return;
            }
            if (!verdict.ok()) {
                rejected.add(r);
                reply(ex, 401, "{\"code\":\"" + verdict.reason + "\"}");
                return;
            }
            if (closedSink) {
                reply(ex, 410, "{\"code\":\"run_sink_closed\"}");
                return;
            }
            boolean batch = String.valueOf(headers.get("content-type")).startsWith("application/cloudevents-batch+json");
            if (kind == Kind.EVENT && batch && !acceptBatches) {
                refusedBatches.incrementAndGet();
                reply(ex, 400, "{\"code\":\"validation_failed\"}");
                return;
            }
            if (kind == Kind.EVENT && batch && json != null && json.size() > maxBatchEvents) {
                tooLargeBatches.incrementAndGet();
                reply(ex, 413, "{\"code\":\"too_many_events\"}");
                return;
            }
            if (kind == Kind.EVENT && failEvents.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                reply(ex, failStatus, "{\"code\":\"scripted_failure\"}");
                return;
            }
            accepted.add(r);
            if (kind == Kind.EVENT && batch) {
                JsonNode last = json.get(json.size() - 1);
                reply(ex, 200, "{\"ok\":true,\"outcome\":\"persisted\",\"sequence\":" + last.path("sequence").asLong() + "}");
            } else if (kind == Kind.EVENT) {
                reply(ex, 200, "{\"ok\":true,\"outcome\":\"persisted\",\"sequence\":"
                        + (json == null ? 0 : json.path("sequence").asLong()) + "}");
            } else {
                reply(ex, 200, "{\"ok\":true}");
                if (kind == Kind.FINALIZE) {
                    finalized.countDown();
                }
            }
        }
    }

    private static void reply(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        ex.getResponseBody().write(bytes);
    }
}
