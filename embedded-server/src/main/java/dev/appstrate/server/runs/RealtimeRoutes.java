package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.EventStream;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.realtime.RunEvent;
import dev.appstrate.server.realtime.RunEventBus;
import java.util.ArrayList;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Semaphore;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Server-sent events under /api/realtime, as the original (token in the query, ping every 30 s),
 * plus what a debugging developer needs: each run_log frame's id is its log id, and a reconnect
 * with Last-Event-ID replays what was missed from the database, so nothing is lost.
 */
public final class RealtimeRoutes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(RealtimeRoutes.class);
    private static final int QUEUE = 20_000;
    private static final int REPLAY_PAGE = 1000;
    /** A replay page's characters: a quarter of a stream's paced bound, so little of a page is read twice. */
    private static final int REPLAY_PAGE_CHARS = 128 * 1024;
    /** Pages one replay reads before the other replays get theirs. */
    private static final int PAGES_PER_TURN = 2;
    /** First history pages read on request threads at once; more viewers opening together start on the pool. */
    private static final int FIRST_PAGES_AT_ONCE = 4;
    /** Live events one replaying stream holds back until its replay ends. */
    private static final long PENDING_BYTES = 4L << 20;
    private static final Set<String> CHANNELS = Set.of(RunEvent.RUN_UPDATE, RunEvent.RUN_LOG, RunEvent.RUN_METRIC);
    private final RunEventBus bus;
    private final RunRepository repo;
    private final Runs runs;
    /**
     * Where a replay reads its pages after its first (read on the viewer's request thread), in turns, and resumes once its
     * queue has drained (the writing thread only hands it over); {@link #close} stops it.
     */
    private final ExecutorService replays;
    private final Semaphore firstPages = new Semaphore(FIRST_PAGES_AT_ONCE);

    /** @param replays the pool the pages after each replay's first are read on (a few threads: it is store-bound) */
    public RealtimeRoutes(RunEventBus bus, RunRepository repo, Runs runs, ExecutorService replays) {
        this.bus = bus;
        this.repo = repo;
        this.runs = runs;
        this.replays = replays;
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
        if (runId == null && req.auth().endUserId() != null) {
            // the original's streams do not take Appstrate-User; the application's stream would show other end-users' runs
            throw ApiException.invalidRequest("Appstrate-User is not supported on the application's run stream: "
                    + "stream one of the end-user's runs (/api/realtime/runs/{id})", "Appstrate-User").codeOverride("header_not_allowed");
        }
        RunRecord run = runId == null ? null : runs.visibleTo(req, runId);
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
            StreamSession session = new StreamSession(sink, verbose, since, runId, appId, replay && channels.contains(RunEvent.RUN_LOG));
            RunEventBus.Subscription sub = bus.listen(filter, session::onEvent);
            sink.onEnd(sub::close);
            sink.send(EventStream.frame("ping", null, ""));
            if (run != null && channels.contains(RunEvent.RUN_UPDATE)) {
                ObjectNode snap = RunJson.of(repo.find(runId).orElse(run));
                snap.put("operation", "SNAPSHOT");
                sink.send(EventStream.frame(RunEvent.RUN_UPDATE, null, Json.string(snap)));
            }
            // subscribed before reading the database: whatever lands meanwhile waits in the session, deduplicated by id.
            // A run's first page (at most REPLAY_PAGE_CHARS) is read here, on this viewer's own request thread, so a live
            // run's newcomer goes live now, never behind other viewers' replays on the pool (200 stalled replays made it
            // wait 200 turns); a few at once, so a crowd opening together cannot hold many pages in memory; an
            // application's history (its runs' logs interleaved) and the rest take turns on the pool
            if (!session.history) {
                session.replayOrEnd(1);
            } else if (runId != null && firstPages.tryAcquire()) {
                try {
                    session.replayOrEnd(1);
                } finally {
                    firstPages.release();
                }
            } else {
                nextTurn(session);
            }
        }).header("Cache-Control", "no-cache").header("X-Accel-Buffering", "no");
    }

    /** Ends the replays' threads (server stop; every stream is ended too). */
    @Override
    public void close() {
        replays.shutdownNow();
    }

    /** A later turn of a replay, on the pool. */
    private void nextTurn(StreamSession session) {
        replays.execute(() -> session.replayOrEnd(PAGES_PER_TURN));
    }

    /**
     * One subscriber. Its replay is paced by the client: a page is read only while the stream's queue has room, and
     * resumes on {@link #replays} when it drains, so a viewer that stops reading holds at most the stream's bound. Live
     * events that arrive meanwhile wait here, within {@link #PENDING_BYTES}; past it the waiting logs are let go and read
     * again from the database, where they already are (a log is published after its commit).
     */
    private final class StreamSession {
        private final EventStream.EventSink sink;
        private final boolean verbose;
        private final String runId;
        private final String appId;
        private final List<RunEvent> pending = new ArrayList<>();
        private long pendingBytes;
        /** Logs that arrived during the replay were let go: the replay reads on before going live. */
        private boolean readAgain;
        /** Until the history (if any) is sent: live events wait in {@link #pending}. */
        private boolean replaying = true;
        private final boolean history;
        /** The last log id sent; guarded by this session once live, owned by the replay before. */
        private long sent;

        StreamSession(EventStream.EventSink sink, boolean verbose, long since, String runId, String appId, boolean replay) {
            this.sink = sink;
            this.verbose = verbose;
            this.sent = since;
            this.runId = runId;
            this.appId = appId;
            this.history = replay;
        }

        synchronized void onEvent(RunEvent e) {
            if (!replaying) {
                deliver(e);
                return;
            }
            boolean log = e.channel().equals(RunEvent.RUN_LOG);
            if (log && readAgain) {
                return; // the replay reads it from the database
            }
            pending.add(e);
            pendingBytes += e.frame(verbose).length;
            if (pendingBytes > PENDING_BYTES && !history) {
                sink.end(); // fell behind before it began: the client resumes with Last-Event-ID
            } else if (pendingBytes > PENDING_BYTES) {
                pending.removeIf(p -> p.channel().equals(RunEvent.RUN_LOG));
                readAgain = true;
                pendingBytes = 0;
                for (RunEvent p : pending) {
                    pendingBytes += p.frame(verbose).length;
                }
                if (pending.size() >= QUEUE || pendingBytes > PENDING_BYTES) {
                    sink.end(); // updates alone overflow it: the client resumes with Last-Event-ID
                }
            }
        }

        /** {@link #replay} on {@link #replays}: a failed read ends the stream (its client resumes with Last-Event-ID), never leaves it silent. */
        void replayOrEnd(int pagesThisTurn) {
            try {
                replay(pagesThisTurn);
            } catch (RuntimeException | Error e) {
                LOG.warn("Log replay failed; the stream ends and its client resumes run={} error={}", runId, e.toString());
                sink.end();
            }
        }

        /** Sends history from {@link #sent} while the stream has room; goes live when none is left. Never two at once. */
        void replay(int pagesThisTurn) {
            if (!history) {
                goLiveUnlessMoreArrived();
                return;
            }
            for (int pages = 0; ; pages++) {
                if (pages == pagesThisTurn) {
                    // its turn is over: every other replay gets its next pages before this one reads more
                    nextTurn(this);
                    return;
                }
                RunRepository.LogPage page = runId != null ? repo.logPage(runId, sent, 0, REPLAY_PAGE, REPLAY_PAGE_CHARS)
                        : repo.logsOfApplication(appId, sent, REPLAY_PAGE, REPLAY_PAGE_CHARS);
                for (ObjectNode row : page.rows()) {
                    row.put("applicationId", appId);
                    long id = row.get("id").asLong();
                    byte[] frame = EventStream.frame(RunEvent.RUN_LOG, id, Json.string(shape(row, verbose))).getBytes(StandardCharsets.UTF_8);
                    EventStream.Admission a = sink.offer(frame);
                    if (a == EventStream.Admission.ENDED) {
                        return; // the viewer left: the rest of its log is not read for nobody
                    }
                    if (a == EventStream.Admission.FULL) {
                        // the rest of the page is read again when the viewer has read enough: never held for it meanwhile
                        sink.whenDrained(() -> nextTurn(this));
                        return;
                    }
                    sent = id;
                }
                if (!page.more() && goLiveUnlessMoreArrived()) {
                    return;
                }
            }
        }

        /** False when logs were let go meanwhile: one more pass over the database first. */
        private synchronized boolean goLiveUnlessMoreArrived() {
            if (readAgain) {
                readAgain = false;
                return false;
            }
            replaying = false;
            for (RunEvent e : pending) {
                deliver(e);
            }
            pending.clear();
            pendingBytes = 0;
            return true;
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
