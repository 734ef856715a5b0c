package dev.appstrate.server.transcript;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.runs.RunnerEventHook;
import dev.appstrate.server.store.SqlWrite;

/**
 * Stores the runner's {@code appstrate.transcript.*} events with the run, in the event's own transaction,
 * every string masked by the server's redactor (the one its logs go through), so a secret the runner
 * could not know is masked too.
 */
public final class TranscriptRecorder implements RunnerEventHook {
    public static final String PREFIX = "appstrate.transcript.";
    private final Redactor redactor;

    public TranscriptRecorder(Redactor redactor) {
        this.redactor = redactor;
    }

    @Override
    public SqlWrite forEvent(String runId, int sequence, String type, JsonNode data) {
        if (!type.startsWith(PREFIX) || !data.isObject()) {
            return null;
        }
        String kind = type.substring(PREFIX.length());
        String json = Json.string(redactor.redact(data));
        return TranscriptRepository.insert(runId, sequence, kind, json);
    }
}
