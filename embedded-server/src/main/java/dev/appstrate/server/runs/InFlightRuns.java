package dev.appstrate.server.runs;

import java.security.MessageDigest;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/** The runs in flight on this server instance, in memory (their secrets are never stored: a restart fails them anyway). */
public final class InFlightRuns {
    private final Map<String, ActiveRun> active = new ConcurrentHashMap<>();
    private final RunOwnership ownership;
    /** {@link EventRouteWarmup}'s run: found by its id only, so no count, listing, watchdog or owner ever sees it. */
    private volatile ActiveRun warming;

    public InFlightRuns() {
        this(RunOwnership.LOCAL);
    }

    /** With several instances, each run added here is claimed for this instance until it is removed. */
    public InFlightRuns(RunOwnership ownership) {
        this.ownership = ownership;
    }

    void add(ActiveRun run) {
        ownership.claim(run.runId);
        active.put(run.runId, run);
    }

    /** The run ended here: it is released and its model calls in flight are aborted. */
    void remove(String runId) {
        ActiveRun run = active.remove(runId);
        if (run != null) {
            ownership.release(runId);
            run.modelCalls.endAll();
        }
    }

    /**
     * The server is stopping: every run's model calls in flight are aborted now, as they would otherwise hold the graceful
     * stop for all its grace (the runs themselves are failed at the next boot; their runners cannot report meanwhile).
     */
    public void abortModelCalls() {
        for (ActiveRun run : active.values()) {
            run.modelCalls.endAll();
        }
    }

    RunOwnership ownership() {
        return ownership;
    }

    ActiveRun get(String runId) {
        ActiveRun run = active.get(runId);
        ActiveRun w = warming;
        return run == null && w != null && w.runId.equals(runId) ? w : run;
    }

    /** The warm-up's in-memory run while it sends (null: none). */
    void warming(ActiveRun run) {
        warming = run;
    }

    public boolean isActive(String runId) {
        return active.containsKey(runId);
    }

    public Set<String> ids() {
        return Set.copyOf(active.keySet());
    }

    /** Pending or running runs of one agent in one application (in memory: agent lists ask on every request). */
    public int count(String applicationId, String packageId) {
        int n = 0;
        for (ActiveRun r : active.values()) {
            if (r.applicationId.equals(applicationId) && packageId.equals(r.packageId)) {
                n++;
            }
        }
        return n;
    }

    /** The active run if the token is its LLM placeholder (the run holds the real model); empty otherwise. */
    Optional<ActiveRun> runForLlmToken(String runId, String token) {
        ActiveRun run = active.get(runId);
        if (run == null || run.model == null || token == null || !MessageDigest.isEqual(run.llmToken.getBytes(), token.getBytes())) {
            return Optional.empty();
        }
        return Optional.of(run);
    }

    /** The active run a credential-proxy token ({@code <runId>.<hex>}) belongs to; empty for anything else. */
    public Optional<ActiveRun> runForToken(String token) {
        int dot = token == null ? -1 : token.lastIndexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        ActiveRun run = active.get(token.substring(0, dot));
        if (run == null || run.runToken == null || !MessageDigest.isEqual(run.runToken.getBytes(), token.getBytes())) {
            return Optional.empty();
        }
        return Optional.of(run);
    }
}
