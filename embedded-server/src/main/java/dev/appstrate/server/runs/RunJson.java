package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import java.util.HashSet;
import java.util.Set;

/**
 * The original's Run resource: every field its schema requires, with the real value where this server has
 * one and the original's empty value (null, false, zero counts) for features that do not exist here.
 */
public final class RunJson {
    private RunJson() {
    }

    public static ObjectNode of(RunRecord r) {
        return of(r, RunNames.Names.NONE);
    }

    public static ObjectNode of(RunRecord r, RunNames.Names names) {
        ObjectNode n = Json.object();
        n.put("id", r.id());
        n.put("object", "run");
        n.put("packageId", r.scope().packageId());
        n.put("userId", r.origin().userId());
        n.put("endUserId", r.origin().endUserId());
        n.put("apiKeyId", r.origin().apiKeyId());
        n.put("orgId", r.scope().orgId());
        n.put("applicationId", r.scope().applicationId());
        n.put("scheduleId", r.origin().scheduleId());
        n.put("runNumber", r.scope().runNumber());
        n.put("status", r.status());
        // a stored secret typed into an input or echoed into an output is masked here as in logs and transcripts
        Redactor redactor = Redactor.global();
        n.set("input", r.setup().input() == null ? null : redactor.redact(r.setup().input()));
        ObjectNode result = Json.object();
        result.set("output", r.outcome().output() == null ? null : redactor.redact(r.outcome().output()));
        n.set("result", r.outcome().output() == null || r.outcome().output().isNull() ? Json.MAPPER.nullNode() : result);
        n.put("error", r.outcome().error() == null ? null : redactor.redact(r.outcome().error()));
        n.put("started_at", r.timing().startedAt());
        n.put("completed_at", r.timing().completedAt());
        if (r.timing().duration() == null) {
            n.putNull("duration");
        } else {
            n.put("duration", r.timing().duration());
        }
        if (r.outcome().cost() == null) {
            n.putNull("cost");
        } else {
            n.put("cost", r.outcome().cost());
        }
        n.set("token_usage", r.outcome().tokenUsage());
        n.put("version_label", r.scope().versionLabel());
        n.put("version_ref", r.scope().versionLabel() == null ? "draft" : r.scope().versionLabel());
        n.put("model_label", r.setup().modelLabel());
        n.put("model_source", r.setup().modelSource());
        n.put("runner_kind", r.setup().runnerKind());
        n.put("runOrigin", "platform");
        if (r.scope().packageId() != null && r.scope().packageId().contains("/")) {
            n.put("agent_scope", r.scope().packageId().substring(0, r.scope().packageId().indexOf('/')));
            n.put("agent_name", r.scope().packageId().substring(r.scope().packageId().indexOf('/') + 1));
        } else {
            n.putNull("agent_scope");
            n.putNull("agent_name");
        }
        n.put("timeout_seconds", r.setup().timeoutSeconds());
        n.put("user_name", names.userName());
        n.put("end_user_name", names.endUserName());
        n.put("api_key_name", names.apiKeyName());
        n.put("schedule_name", names.scheduleName());
        absentFeatures(n);
        documentCounts(n, r, 0); // callers that list or show a stored run fill the output count from run_documents
        // inline runs run an ephemeral shadow package, as the original's @inline/r-<uuid>
        n.put("package_ephemeral", r.scope().packageId() != null && r.scope().packageId().startsWith("@inline/"));
        return n;
    }

    /** Features of the original this server does not have, with the value the original sends when they are unused. */
    private static void absentFeatures(ObjectNode n) {
        for (String field : new String[] {"artifacts", "checkpoint", "metadata", "generation", "generation_override",
                "cost_pricing_status", "proxy_label", "runner_name", "contextSnapshot", "modelCredentialId", "connection_overrides",
                "dependency_overrides", "connections_used", "primary_document_id"}) {
            n.putNull(field);
        }
        n.put("unread", false);
        // set by the inline-runs extension for inline runs; the original sends null for a cataloged agent's run
        n.putNull("inline_manifest");
        n.putNull("inline_prompt");
    }

    /** The original's document_counts: distinct document:// references in the input, and {@code output} documents produced. */
    public static void documentCounts(ObjectNode n, RunRecord r, long output) {
        Set<String> refs = new HashSet<>();
        collectDocumentRefs(r.setup().input(), refs);
        n.set("document_counts", Json.object().put("input", refs.size()).put("output", output));
    }

    private static void collectDocumentRefs(JsonNode node, Set<String> refs) {
        if (node == null) {
            return;
        }
        if (node.isTextual() && node.asText().startsWith("document://")) {
            refs.add(node.asText());
        }
        node.forEach(child -> collectDocumentRefs(child, refs));
    }
}
