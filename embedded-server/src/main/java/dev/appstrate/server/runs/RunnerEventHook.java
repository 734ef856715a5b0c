package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.store.SqlWrite;

/**
 * Lets another feature store its own row for a runner event in the same transaction as the event (the
 * transcript feature stores {@code appstrate.transcript.*} events this way): no extra write, no extra lock.
 */
public interface RunnerEventHook {
    /**
     * The write for this event, or null when it stores nothing; called in sequence order under the run's lock, run
     * inside the event batch's transaction only when the event itself is stored.
     */
    SqlWrite forEvent(String runId, int sequence, String type, JsonNode data);
}
