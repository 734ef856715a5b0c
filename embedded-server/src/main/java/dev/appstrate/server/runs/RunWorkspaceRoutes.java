package dev.appstrate.server.runs;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.AgentPackage;

/**
 * What the original's runtime fetches before it starts: the run's agent as a bundle ZIP, and the run's
 * input documents (none here). Signed like the events (same secret, empty body); closed once the run ends.
 */
public final class RunWorkspaceRoutes {
    private final EventIngestion ingestion;
    private final RunRepository repo;
    private final AgentCatalog catalog;

    public RunWorkspaceRoutes(EventIngestion ingestion, RunRepository repo, AgentCatalog catalog) {
        this.ingestion = ingestion;
        this.repo = repo;
        this.catalog = catalog;
    }

    public void register(Router r) {
        r.get("/api/runs/{id}/workspace", this::workspace).publicRoute()
                .doc("Runner", "The run's agent package as the original's bundle ZIP (signed like the events, empty body)");
        r.get("/api/runs/{id}/documents", this::documents).publicRoute()
                .doc("Runner", "The run's input documents manifest (signed; 404 when the run has none, which is always here)");
    }

    private ApiResponse workspace(ApiRequest req) {
        ingestion.verify(req, "");
        RunRecord run = repo.find(req.pathParam("id")).orElseThrow(() -> ApiException.notFound("run_not_found", "Run not found"));
        AgentPackage agent = (run.scope().packageId() == null ? java.util.Optional.<AgentPackage>empty()
                : catalog.find(run.scope().applicationId(), run.scope().packageId()))
                .orElseThrow(() -> ApiException.notFound("bundle_not_found", "The run's agent package is no longer installed"));
        return ApiResponse.bytes(200, "application/zip", RunBundle.of(agent))
                .header("Content-Disposition", "attachment; filename=\"" + run.id() + ".afps-bundle\"");
    }

    private ApiResponse documents(ApiRequest req) {
        ingestion.verify(req, "");
        throw ApiException.notFound("documents_not_found", "This run has no input documents");
    }
}
