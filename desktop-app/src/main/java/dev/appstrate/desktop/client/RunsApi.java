package dev.appstrate.desktop.client;

/** Runs ({@code /api/runs}, an agent's runs), read into {@link Run} and {@link RunPage}. */
public final class RunsApi {
    private final AppstrateClient client;

    public RunsApi(AppstrateClient client) {
        this.client = client;
    }

    /** A page of runs, of every agent when {@code agentId} is null, of one status when {@code status} is not blank. */
    public RunPage page(String agentId, String status, int limit, int offset) {
        return RunPage.of(client.runs(agentId, status, limit, offset));
    }

    public Run get(String runId) {
        return Run.of(client.run(runId));
    }

    public Run cancel(String runId) {
        return Run.of(client.cancelRun(runId));
    }

    /** Deletes an agent's finished runs; how many went. */
    public int deleteAgentRuns(String packageId) {
        return client.deleteAgentRuns(packageId).path("deleted_count").asInt();
    }
}
