package dev.appstrate.server.transcript;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.runs.RunService;
import dev.appstrate.server.secrets.Redactor;

/** Run transcripts for the inspector: stored from the runner's transcript events, served under /api/runs/{id}/transcript. */
public final class TranscriptModule implements ServerModule {
    @Override
    public void install(ServerContext ctx) {
        TranscriptRepository repo = new TranscriptRepository(ctx.database());
        RunService runs = ctx.get(RunService.class);
        runs.storeTranscriptEvents(new TranscriptRecorder(Redactor.global()));
        new TranscriptRoutes(runs.repository(), repo, new TranscriptAssembler(ctx.get(SchemaValidator.class))).register(ctx.router());
    }
}
