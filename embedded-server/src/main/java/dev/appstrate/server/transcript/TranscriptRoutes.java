package dev.appstrate.server.transcript;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.runs.RunRecord;
import dev.appstrate.server.runs.Runs;
import java.nio.charset.StandardCharsets;

/** The run inspector's API (ours only): a run's transcript, and one tool call's whole result. */
public final class TranscriptRoutes {
    private final Runs runs;
    private final TranscriptRepository transcripts;
    private final TranscriptAssembler assembler;

    public TranscriptRoutes(Runs runs, TranscriptRepository transcripts, TranscriptAssembler assembler) {
        this.runs = runs;
        this.transcripts = transcripts;
        this.assembler = assembler;
    }

    public void register(Router r) {
        r.get("/api/runs/{id}/transcript", this::transcript).appScoped()
                .extension("inline_runs")
                .doc("Runs", "A run as the inspector shows it: system prompt, tools, every model turn and tool call, output check");
        r.get("/api/runs/{id}/transcript/tool-calls/{callId}", this::toolResult).appScoped()
                .extension("inline_runs").doc("Runs", "The whole (masked) result of one tool call, as text/plain");
    }

    private RunRecord find(ApiRequest req) {
        return runs.visibleTo(req, req.pathParam("id"));
    }

    private ApiResponse transcript(ApiRequest req) {
        RunRecord run = find(req);
        return ApiResponse.ok(assembler.assemble(run, transcripts.list(run.id())));
    }

    private ApiResponse toolResult(ApiRequest req) {
        RunRecord run = find(req);
        String callId = req.pathParam("callId");
        return transcripts.list(run.id()).stream()
                .filter(e -> e.kind().equals("tool_result") && callId.equals(e.data().path("toolCallId").asText()))
                .findFirst()
                .map(e -> ApiResponse.bytes(200, "text/plain; charset=utf-8",
                        e.data().path("text").asText("").getBytes(StandardCharsets.UTF_8)))
                .orElseThrow(() -> ApiException.notFound("tool_call_not_found", "No tool call '" + callId + "' in this run"));
    }
}
