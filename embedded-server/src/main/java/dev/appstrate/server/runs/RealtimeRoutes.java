package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.EventStream;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * Server-sent events under /api/realtime, as the original (token in the query, ping every 30 s),
 * plus what a debugging developer needs: each run_log frame's id is its log id, and a reconnect
 * with Last-Event-ID replays what was missed from the database, so nothing is lost.
 */
public final class RealtimeRoutes {
    private static final int QUEUE = 20_000;
    private static final int REPLAY_PAGE = 1000;
    private static final Set<String> CHANNELS = Set.of(RunEvent.RUN_UPDATE, RunEvent.RUN_LOG, RunEvent.RUN_METRIC);
    private final RunEventBus bus;
    private final RunRepository repo;
    private final Runs runs;

    public RealtimeRoutes(RunEventBus bus, RunRepository repo, Runs runs) {
        this.bus = bus;
        this.repo = repo;
        this.runs = runs;
    }

    public void register(Router r) {
        r.get("/api/realtime/runs", req -> stream(req, null)).appScoped().permission("runs:read").queryCredentials()
                .doc("Realtime", "SSE of every run of the application (?token=, ?channels=, Last-Event-ID replay)");
        r.get("/api/realtime/runs/{id}", req -> stream(req, req.pathParam("id"))).appScoped().permission("runs:read")
                .queryCredentials()
                .doc("Realtime", "SSE of one run: a run_update snapshot, its log history, then live updates, logs and metrics");
    }

    private ApiResponse stream(ApiRequest req, String runId) {
        String appId = req.applicationId();
        RunRecord run = runId == null ? null : runs.ofApplication(appId, runId);
        Set<String> channels = channels(req.queryParam("channels").orElse(null));
        boolean verbose = req.queryParam("verbose").map("true"::equals).orElse(false);
        long lastEventId = parse(req.header("Last-Event-ID"), parse(req.queryParam("lastEventId").orElse(null), -1));
        // a single run's stream starts with its history (unless ?replay=false): a viewer opened mid-run misses nothing
        boolean replay = lastEventId >= 0 || req.queryParam("replay").map("true"::equals).orElse(runId != null);
        long since = Math.max(0, lastEventId);
        Predicate<RunEvent> filter = e -> e.applicationId().equals(appId) && channels.contains(e.channel())
                && (runId == null || runId.equals(e.runId()));
        // no thread per stream: the bus hands events to the session, which queues frames on the sink
        return ApiResponse.events(req.auth().identity(), sink -> {
            StreamSession session = new StreamSession(sink, verbose, since);
            RunEventBus.Subscription sub = bus.listen(filter, session::onEvent);
            sink.onEnd(sub::close);
            sink.send(EventStream.frame("ping", null, ""));
            if (run != null && channels.contains(RunEvent.RUN_UPDATE)) {
                ObjectNode snap = RunJson.of(repo.find(runId).orElse(run));
                snap.put("operation", "SNAPSHOT");
                sink.send(EventStream.frame(RunEvent.RUN_UPDATE, null, Json.string(snap)));
            }
            long sent = since;
            if (replay && channels.contains(RunEvent.RUN_LOG)) {
                // subscribed before reading the database: whatever lands meanwhile waits in the session, deduplicated by id
                while (true) {
                    // a run's pages are bounded in size too: one reader connection never holds a megabyte-lines log whole
                    RunRepository.LogPage page = runId != null ? repo.logPage(runId, sent, 0, REPLAY_PAGE, RunRoutes.PAGE_CHARS)
                            : null;
                    List<ObjectNode> rows = page != null ? page.rows() : repo.logsOfApplication(appId, sent, REPLAY_PAGE);
                    for (ObjectNode row : rows) {
                        row.put("applicationId", appId);
                        sent = row.get("id").asLong();
                        if (!sink.send(EventStream.frame(RunEvent.RUN_LOG, sent, Json.string(shape(row, verbose))))) {
                            return; // the viewer left or fell too far behind: the rest of its log is not read for nobody
                        }
                    }
                    if (page != null ? !page.more() : rows.size() < REPLAY_PAGE) {
                        break;
                    }
                }
            }
            session.live(sent);
        }).header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
    }

    /** One subscriber: holds events that arrive during the replay, then forwards each as a frame. */
    private final class StreamSession {
        private final EventStream.EventSink sink;
        private final boolean verbose;
        private final List<RunEvent> pending = new ArrayList<>();
        private boolean replaying = true;
        private long sent;

        StreamSession(EventStream.EventSink sink, boolean verbose, long since) {
            this.sink = sink;
            this.verbose = verbose;
            this.sent = since;
        }

        synchronized void onEvent(RunEvent e) {
            if (replaying) {
                if (pending.size() >= QUEUE) {
                    sink.end(); // fell behind before it began: the client resumes with Last-Event-ID
                } else {
                    pending.add(e);
                }
                return;
            }
            deliver(e);
        }

        synchronized void live(long replayedUpTo) {
            sent = Math.max(sent, replayedUpTo);
            replaying = false;
            for (RunEvent e : pending) {
                deliver(e);
            }
            pending.clear();
        }

        private void deliver(RunEvent e) {
            if (e.channel().equals(RunEvent.RUN_LOG)) {
                if (e.logId() <= sent) {
                    return;
                }
                sent = e.logId();
            }
            // the frame is encoded to bytes once per event for all its streams (1,000 viewers of one run)
            sink.send(e.frame(verbose));
        }
    }

    private static ObjectNode shape(ObjectNode log, boolean verbose) {
        if (verbose) {
            return log;
        }
        ObjectNode copy = log.deepCopy();
        copy.remove("data");
        return copy;
    }

    private static Set<String> channels(String param) {
        if (param == null) {
            return CHANNELS;
        }
        Set<String> s = new HashSet<>(Arrays.asList(param.split(",")));
        s.retainAll(CHANNELS);
        return s.isEmpty() ? CHANNELS : s;
    }

    private static long parse(String s, long def) {
        if (s == null || s.isBlank()) {
            return def;
        }
        try {
            return Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return def;
        }
    }
}
