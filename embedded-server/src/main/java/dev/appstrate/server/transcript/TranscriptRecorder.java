package dev.appstrate.server.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.runs.RunnerEventListener;
import dev.appstrate.server.secrets.Redactor;

/**
 * Stores the runner's {@code appstrate.transcript.*} events with the run, every string masked by the
 * server's redactor (the one its logs go through), so a secret the runner could not know is masked too.
 */
public final class TranscriptRecorder implements RunnerEventListener {
    public static final String PREFIX = "appstrate.transcript.";
    private final TranscriptRepository repo;
    private final Redactor redactor;

    public TranscriptRecorder(TranscriptRepository repo, Redactor redactor) {
        this.repo = repo;
        this.redactor = redactor;
    }

    @Override
    public void onEvent(String runId, int sequence, String type, JsonNode data) {
        if (!type.startsWith(PREFIX) || !data.isObject()) {
            return;
        }
        repo.insert(runId, sequence, type.substring(PREFIX.length()), redactor.redact(data));
    }
}
