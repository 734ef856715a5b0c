package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.StandardWebhookSignature;
import dev.appstrate.server.models.ResolvedModel;
import dev.appstrate.server.secrets.ResolvedConnection;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;

/**
 * What the server keeps in memory for a run in flight: its sink secret (never stored: a restart
 * fails the run anyway), the LLM placeholder token, the real model, the opened integration
 * connections with the credential-proxy token, and the event ordering state.
 */
public final class ActiveRun {
    final String runId;
    final String orgId;
    final String applicationId;
    final String packageId;
    final String sinkSecret;
    final StandardWebhookSignature signature;
    final String llmToken;
    final ResolvedModel model;
    final JsonNode outputSchema;
    /** Events that arrived ahead of a gap, with the commit their senders wait for. */
    final TreeMap<Integer, Pending> buffer = new TreeMap<>();
    /** The highest sequence handed to the writer (guarded by this run's monitor). */
    int lastSequence;
    /** The commit of the last event handed to the writer: finalize waits for it. */
    CompletableFuture<Long> lastQueued = CompletableFuture.completedFuture(0L);
    /** Written by the log writer's thread only. */
    boolean running;
    JsonNode lastOutput;
    JsonNode lastUsage;
    volatile ScheduledFuture<?> safetyNet;
    /** The declared integrations' opened connections: in memory only, for the credential proxy. */
    volatile List<ResolvedConnection> connections = List.of();
    /** {@code <runId>.<random>}: the runner's credential for the credential proxy. */
    volatile String runToken;
    /** The model calls in flight through the sidecar, aborted when the run ends. */
    final ModelCalls modelCalls = new ModelCalls();

    /** An out-of-order event and the commit its sender waits for. */
    record Pending(JsonNode event, CompletableFuture<Long> committed) {
    }

    ActiveRun(String runId, String orgId, String applicationId, String packageId, String sinkSecret, String llmToken,
              ResolvedModel model, JsonNode outputSchema) {
        this.runId = runId;
        this.orgId = orgId;
        this.applicationId = applicationId;
        this.packageId = packageId;
        this.sinkSecret = sinkSecret;
        this.signature = new StandardWebhookSignature(sinkSecret);
        this.llmToken = llmToken;
        this.model = model;
        this.outputSchema = outputSchema;
    }

    /** A run from the store with no runner attached (finalized by the server after a restart or a lost launch). */
    static ActiveRun detached(String runId, String orgId, String applicationId, String packageId) {
        return new ActiveRun(runId, orgId, applicationId, packageId, "detached-" + runId, "", null, null);
    }
}
