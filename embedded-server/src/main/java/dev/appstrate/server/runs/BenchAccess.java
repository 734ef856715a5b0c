package dev.appstrate.server.runs;

/** Read access to a run's sink secret for the ingestion benchmark, which plays the runner itself. */
public final class BenchAccess {
    private BenchAccess() {
    }

    public static String sinkSecret(RunService service, String runId) {
        ActiveRun run = service.activeRun(runId);
        return run == null ? null : run.sinkSecret;
    }
}
