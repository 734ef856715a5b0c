package dev.appstrate.server.runs;

/** Read access to a run's sink secret for tests and benchmarks that play the runner themselves. */
public final class BenchAccess {
    private BenchAccess() {
    }

    /** The in-memory state of a run in flight (package tests that play the runner read its ordering state). */
    static ActiveRun activeRun(InFlightRuns runs, String runId) {
        return runs.get(runId);
    }

    public static String sinkSecret(InFlightRuns runs, String runId) {
        ActiveRun run = runs.get(runId);
        return run == null ? null : run.sinkSecret;
    }

    /** The last sequence the server persisted for a run in flight (0 before any). */
    public static int lastSequence(InFlightRuns runs, String runId) {
        ActiveRun run = runs.get(runId);
        if (run == null) {
            return 0;
        }
        synchronized (run) {
            return run.lastSequence;
        }
    }
}
