package dev.appstrate.desktop.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.FutureCallback;

/**
 * The fixture's data, seeded from the original's recorded answers: the org's agents, one failed run and its log, the
 * "Fake model", a schedule, the OpenAPI's webhook example. Tests read and change these lists directly; live frames
 * pushed with {@link #push} reach the open {@code /api/realtime} streams.
 */
public final class FixtureState {
    private record Subscriber(String runId, Response response, Callback done) {
    }

    private final Transcript transcript;
    private final ObjectNode health;
    public final List<ObjectNode> agents = new CopyOnWriteArrayList<>();
    public final List<ObjectNode> runs = new CopyOnWriteArrayList<>();
    public final Map<String, List<ObjectNode>> logs = new ConcurrentHashMap<>();
    public final List<ObjectNode> models = new CopyOnWriteArrayList<>();
    public final List<ObjectNode> schedules = new CopyOnWriteArrayList<>();
    public final List<ObjectNode> webhooks = new CopyOnWriteArrayList<>();
    public final List<ObjectNode> integrations = new CopyOnWriteArrayList<>();
    private final List<Subscriber> subscribers = new CopyOnWriteArrayList<>();

    FixtureState(Transcript transcript, OriginalApi api) {
        this.transcript = transcript;
        this.health = (ObjectNode) transcript.body("Health probe (public)");
        transcript.body("List agents after create + import").path("data").forEach(a -> agents.add((ObjectNode) a));
        ObjectNode run = (ObjectNode) transcript.body("Run record after it failed");
        runs.add(run);
        List<ObjectNode> lines = new ArrayList<>();
        transcript.body("Run logs — GET /api/runs/{id}/logs").path("data").forEach(l -> lines.add((ObjectNode) l));
        logs.put(run.path("id").asText(), new CopyOnWriteArrayList<>(lines));
        models.add((ObjectNode) transcript.body("Register a model on that credential"));
        schedules.add((ObjectNode) transcript.body("Create a schedule — POST"));
        api.operation("GET", "/api/webhooks").ifPresent(o -> o.example(200).path("data").forEach(w -> webhooks.add((ObjectNode) w.deepCopy())));
    }

    public Transcript transcript() {
        return transcript;
    }

    /** The recorded {@code GET /health} body (change it to test other answers). */
    public ObjectNode health() {
        return health;
    }

    public ObjectNode agent(String id) {
        return agents.stream().filter(a -> a.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    public ObjectNode run(String id) {
        return runs.stream().filter(r -> r.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    public ObjectNode schedule(String id) {
        return schedules.stream().filter(r -> r.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    public ObjectNode webhook(String id) {
        return webhooks.stream().filter(r -> r.path("id").asText().equals(id)).findFirst().orElse(null);
    }

    /** A copy of the recorded failed run, as a new run of {@code packageId} in {@code status}. */
    public ObjectNode newRun(String packageId, String status) {
        ObjectNode r = (ObjectNode) transcript.body("Run record after it failed");
        r.put("id", "run_" + java.util.UUID.randomUUID()).put("packageId", packageId).put("status", status)
                .put("runNumber", runs.size() + 1).putNull("error").putNull("completed_at").putNull("duration")
                .put("started_at", java.time.Instant.now().toString());
        runs.add(0, r);
        logs.put(r.path("id").asText(), new CopyOnWriteArrayList<>());
        return r;
    }

    /**
     * Sends one frame ({@code event: channel}) to the streams open on {@code runId} (and the all-runs streams);
     * a {@code run_log} payload is also kept as a stored log line, as the original stores before it notifies.
     */
    public void push(String runId, String channel, JsonNode payload) {
        if (channel.equals("run_log")) {
            logs.computeIfAbsent(runId, k -> new CopyOnWriteArrayList<>()).add((ObjectNode) payload.deepCopy());
        }
        String frame = "event: " + channel + "\ndata: " + payload + "\nid: fixture:" + System.nanoTime() + "\n\n";
        for (Subscriber s : subscribers) {
            if (s.runId() == null || s.runId().equals(runId)) {
                send(s, frame);
            }
        }
    }

    /** How many live streams are open (a test waits for its view to subscribe before pushing). */
    public int openStreams() {
        return subscribers.size();
    }

    void stream(String runId, Response response, Callback done) {
        response.setStatus(200);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/event-stream");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-cache");
        Subscriber s = new Subscriber(runId, response, done);
        StringBuilder first = new StringBuilder("event: ping\ndata: \n\n");
        ObjectNode run = runId == null ? null : run(runId);
        if (run != null) {
            first.append("event: run_update\ndata: ").append(runUpdate(run)).append("\n\n");
        }
        if (send(s, first.toString())) {
            subscribers.add(s);
        }
    }

    /** The original's {@code run_update} payload for a run. */
    public static ObjectNode runUpdate(ObjectNode run) {
        ObjectNode u = OriginalFixtureServer.JSON.createObjectNode().put("operation", "UPDATE");
        for (String f : List.of("id", "packageId", "status", "userId", "endUserId", "orgId", "applicationId", "scheduleId", "error")) {
            u.set(f, run.path(f).isMissingNode() ? u.nullNode() : run.get(f));
        }
        u.set("startedAt", run.path("started_at"));
        u.set("completedAt", run.path("completed_at"));
        u.set("duration", run.path("duration"));
        return u;
    }

    private boolean send(Subscriber s, String text) {
        synchronized (s) {
            try {
                FutureCallback cb = new FutureCallback();
                s.response().write(false, ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8)), cb);
                cb.get(5, TimeUnit.SECONDS);
                return true;
            } catch (Exception e) {
                subscribers.remove(s);
                s.done().failed(e);
                return false;
            }
        }
    }

    void closeStreams() {
        for (Subscriber s : subscribers) {
            subscribers.remove(s);
            s.done().succeeded();
        }
    }
}
