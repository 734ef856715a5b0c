package dev.appstrate.desktop.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.LogPage;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import okhttp3.Response;
import okhttp3.sse.EventSource;
import okhttp3.sse.EventSourceListener;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's log from a server: the stored history first ({@code GET /api/runs/{id}/logs}, paged by id),
 * then live lines over SSE ({@code /api/realtime/runs/{id}}, events {@code run_log}). A dropped stream
 * reconnects with {@code Last-Event-ID} = the last line's id, and lines already seen are skipped, so
 * nothing is lost or doubled. A server without the SSE route is polled instead.
 */
public final class SseLogSource implements LogSource {
    private static final Logger LOG = LoggerFactory.getLogger(SseLogSource.class);
    private static final Set<String> TERMINAL = Set.of("success", "failed", "timeout", "cancelled");

    private final AppstrateClient client;
    private final String runId;
    private final Consumer<JsonNode> onRunUpdate;
    private final ScheduledExecutorService scheduler;
    private volatile LogSink sink;
    private volatile long lastId;
    private volatile boolean closed;
    private volatile boolean finished;
    private volatile EventSource stream;
    private int failures;

    public SseLogSource(AppstrateClient client, String runId, Consumer<JsonNode> onRunUpdate) {
        this.client = client;
        this.runId = runId;
        this.onRunUpdate = onRunUpdate;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "run-log-" + runId);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void start(LogSink s) {
        this.sink = s;
        s.status("loading history…");
        scheduler.execute(() -> {
            try {
                catchUp();
            } catch (ApiProblem p) {
                s.status(p.notAvailable() ? "no stored logs on this server" : "history: " + p.detail());
            }
            if (!closed) {
                connect();
            }
        });
    }

    /** The last log id delivered (the reconnect point). */
    public long lastId() {
        return lastId;
    }

    /** Reads stored lines after {@link #lastId} until none are left. */
    private void catchUp() {
        while (!closed) {
            LogPage page = client.runLogs(runId, lastId, 1000);
            page.rows().forEach(this::deliver);
            if (!page.hasMore() || page.rows().isEmpty()) {
                return;
            }
        }
    }

    private void deliver(JsonNode row) {
        LogLine line = LogLine.fromJson(row);
        // replayed or overlapping lines (history then stream) are skipped by id
        if (line.id() > lastId) {
            lastId = line.id();
            LogSink s = sink;
            if (s != null) {
                s.line(line);
            }
        }
    }

    private void connect() {
        if (closed) {
            return;
        }
        stream = client.stream(runId, lastId, new EventSourceListener() {
            @Override
            public void onOpen(EventSource es, Response response) {
                failures = 0;
                status(finished ? "run finished" : "live");
            }

            @Override
            public void onEvent(EventSource es, String id, String type, String data) {
                if (closed) {
                    es.cancel();
                    return;
                }
                try {
                    if ("run_log".equals(type)) {
                        deliver(DesktopJson.MAPPER.readTree(data));
                    } else if ("run_update".equals(type)) {
                        JsonNode update = DesktopJson.MAPPER.readTree(data);
                        if (TERMINAL.contains(update.path("status").asText())) {
                            finished = true;
                            status("run " + update.path("status").asText());
                        }
                        onRunUpdate.accept(update);
                    }
                } catch (Exception e) {
                    LOG.debug("Unreadable SSE event runId={} type={} error={}", runId, type, e.toString());
                }
            }

            @Override
            public void onClosed(EventSource es) {
                scheduleReconnect();
            }

            @Override
            public void onFailure(EventSource es, Throwable t, Response response) {
                if (closed) {
                    return;
                }
                int code = response == null ? 0 : response.code();
                if (code == 404 || code == 405) {
                    status("polling (no live stream on this server)");
                    scheduler.schedule(SseLogSource.this::poll, 1, TimeUnit.SECONDS);
                    return;
                }
                if (code == 401 || code == 403) {
                    status("live stream refused (HTTP " + code + ")");
                    return;
                }
                scheduleReconnect();
            }
        });
    }

    private void scheduleReconnect() {
        if (closed) {
            return;
        }
        failures++;
        long delay = Math.min(10, 1L << Math.min(failures - 1, 3));
        status("reconnecting…");
        scheduler.schedule(() -> {
            try {
                catchUp();
            } catch (ApiProblem p) {
                LOG.debug("Catch-up before reconnect failed runId={} error={}", runId, p.detail());
            }
            connect();
        }, delay, TimeUnit.SECONDS);
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            catchUp();
            JsonNode run = client.run(runId);
            onRunUpdate.accept(run);
            if (TERMINAL.contains(run.path("status").asText())) {
                catchUp();
                status("run " + run.path("status").asText());
                return;
            }
        } catch (ApiProblem p) {
            status("polling: " + p.detail());
        }
        scheduler.schedule(this::poll, 1, TimeUnit.SECONDS);
    }

    private void status(String s) {
        LogSink k = sink;
        if (k != null) {
            k.status(s);
        }
    }

    /** Pages forward from the start, keeping the last {@code limit} lines before {@code beforeId} (the API pages by "since"). */
    @Override
    public List<LogLine> older(long beforeId, int limit) {
        ArrayDeque<LogLine> ring = new ArrayDeque<>(limit);
        long since = 0;
        while (!closed) {
            LogPage page = client.runLogs(runId, since, 1000);
            for (JsonNode row : page.rows()) {
                LogLine l = LogLine.fromJson(row);
                if (l.id() >= beforeId) {
                    return new ArrayList<>(ring);
                }
                if (ring.size() == limit) {
                    ring.removeFirst();
                }
                ring.addLast(l);
            }
            long next = page.lastId(since);
            if (!page.hasMore() || next == since) {
                break;
            }
            since = next;
        }
        return new ArrayList<>(ring);
    }

    @Override
    public void close() {
        closed = true;
        sink = null;
        EventSource s = stream;
        if (s != null) {
            s.cancel();
        }
        scheduler.shutdownNow();
    }
}
