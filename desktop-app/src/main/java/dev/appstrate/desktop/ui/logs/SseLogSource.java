package dev.appstrate.desktop.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.ApiProblem;
import dev.appstrate.desktop.client.AppstrateClient;
import dev.appstrate.desktop.client.DesktopJson;
import dev.appstrate.desktop.client.LogPage;
import dev.appstrate.desktop.client.ReconnectingStream;
import dev.appstrate.desktop.client.Run;
import dev.appstrate.desktop.concurrent.NamedExecutors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A run's log from a server: the stored history first ({@code GET /api/runs/{id}/logs}, paged by id),
 * then live lines over SSE ({@code /api/realtime/runs/{id}}, events {@code run_log}) through a
 * {@link ReconnectingStream}: a dropped stream catches up the stored history, then reopens with
 * {@code Last-Event-ID} = the last line's id, and lines already seen are skipped, so nothing is lost or
 * doubled. A server without the SSE route is polled instead. Once the run has finished, a dropped stream is not
 * reopened: the stored history is caught up one last time and the source stops.
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
    /** The run's terminal status once a run_update said it, else null. */
    private volatile String finished;
    private final ReconnectingStream stream;

    public SseLogSource(AppstrateClient client, String runId, Consumer<JsonNode> onRunUpdate) {
        this.client = client;
        this.runId = runId;
        this.onRunUpdate = onRunUpdate;
        this.scheduler = NamedExecutors.namedScheduler("run-log-" + runId);
        this.stream = new ReconnectingStream((from, listener) -> client.stream(runId, from, listener), scheduler, new Live());
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
                stream.start(lastId);
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

    /** The live stream's events; history is caught up before each reopen, so a drop loses nothing. */
    private final class Live implements ReconnectingStream.Listener {
        @Override
        public void opened(boolean again) {
            status(finished != null ? "run finished" : "live");
        }

        @Override
        public void event(String type, String data) {
            if (closed) {
                return;
            }
            try {
                if ("run_log".equals(type)) {
                    deliver(DesktopJson.MAPPER.readTree(data));
                } else if ("run_update".equals(type)) {
                    JsonNode update = DesktopJson.MAPPER.readTree(data);
                    String st = Run.of(update).status();
                    if (TERMINAL.contains(st)) {
                        finished = st;
                        status("run " + st);
                    }
                    onRunUpdate.accept(update);
                }
            } catch (Exception e) {
                LOG.debug("Unreadable SSE event runId={} type={} error={}", runId, type, e.toString());
            }
        }

        @Override
        public void dropped(long retrySeconds) {
            String end = finished;
            if (closed) {
                return;
            }
            if (end == null) {
                status("reconnecting…");
                return;
            }
            // a finished run has nothing more to stream: read what the stream may have missed, then stop
            stream.close();
            scheduler.execute(() -> {
                try {
                    catchUp();
                } catch (ApiProblem p) {
                    LOG.debug("Final catch-up failed runId={} error={}", runId, p.detail());
                }
                status("run " + end);
            });
        }

        @Override
        public void refused(int code) {
            if (code == 404 || code == 405) {
                status("polling (no live stream on this server)");
                scheduler.schedule(SseLogSource.this::poll, 1, TimeUnit.SECONDS);
            } else {
                status("live stream refused (HTTP " + code + ")");
            }
        }

        @Override
        public void beforeReopen() {
            try {
                catchUp();
            } catch (ApiProblem p) {
                LOG.debug("Catch-up before reconnect failed runId={} error={}", runId, p.detail());
            }
            stream.advanceTo(lastId);
        }
    }

    private void poll() {
        if (closed) {
            return;
        }
        try {
            catchUp();
            JsonNode run = client.run(runId);
            onRunUpdate.accept(run);
            String st = Run.of(run).status();
            if (TERMINAL.contains(st)) {
                catchUp();
                status("run " + st);
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
        stream.close();
        scheduler.shutdownNow();
    }
}
