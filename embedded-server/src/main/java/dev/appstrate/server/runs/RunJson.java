package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;

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
        n.put("packageId", r.packageId());
        n.put("userId", r.userId());
        n.put("endUserId", r.endUserId());
        n.put("apiKeyId", r.apiKeyId());
        n.put("orgId", r.orgId());
        n.put("applicationId", r.applicationId());
        n.put("scheduleId", r.scheduleId());
        n.put("runNumber", r.runNumber());
        n.put("status", r.status());
        // a stored secret typed into an input or echoed into an output is masked here as in logs and transcripts
        Redactor redactor = Redactor.global();
        n.set("input", r.input() == null ? null : redactor.redact(r.input()));
        ObjectNode result = Json.object();
        result.set("output", r.output() == null ? null : redactor.redact(r.output()));
        n.set("result", r.output() == null || r.output().isNull() ? Json.MAPPER.nullNode() : result);
        n.put("error", r.error() == null ? null : redactor.redact(r.error()));
        n.put("started_at", r.startedAt());
        n.put("completed_at", r.completedAt());
        if (r.duration() == null) {
            n.putNull("duration");
        } else {
            n.put("duration", r.duration());
        }
        if (r.cost() == null) {
            n.putNull("cost");
        } else {
            n.put("cost", r.cost());
        }
        n.set("token_usage", r.tokenUsage());
        n.put("version_label", r.versionLabel());
        n.put("version_ref", r.versionLabel() == null ? "draft" : r.versionLabel());
        n.put("model_label", r.modelLabel());
        n.put("model_source", r.modelSource());
        n.put("runner_kind", r.runnerKind());
        n.put("runOrigin", "platform");
        if (r.packageId() != null && r.packageId().contains("/")) {
            n.put("agent_scope", r.packageId().substring(0, r.packageId().indexOf('/')));
            n.put("agent_name", r.packageId().substring(r.packageId().indexOf('/') + 1));
        } else {
            n.putNull("agent_scope");
            n.putNull("agent_name");
        }
        n.put("timeout_seconds", r.timeoutSeconds());
        n.put("user_name", names.userName());
        n.put("end_user_name", names.endUserName());
        n.put("api_key_name", names.apiKeyName());
        n.put("schedule_name", names.scheduleName());
        absentFeatures(n);
        // inline runs run an ephemeral shadow package, as the original's @inline/r-<uuid>
        n.put("package_ephemeral", r.packageId() != null && r.packageId().startsWith("@inline/"));
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
        n.set("document_counts", Json.object().put("input", 0).put("output", 0));
    }
}
