package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;

/** A file a run's agent published (the original's {@code agent_output} document); its bytes are in the blob store. */
public record RunDocument(String id, String runId, String applicationId, String packageId, String name, String mime, long size,
                          String sha256, String presentation, String createdAt) {

    /** Where the bytes live, in the data folder's {@code storage/} or the bucket: deleted with the run's prefix. */
    public String key() {
        return prefix(runId) + id;
    }

    /** Every document of a run is under this prefix. */
    static String prefix(String runId) {
        // run ids are generated here (run_<uuid>), never taken from a client, so they are safe key segments
        return "runs/" + runId + "/documents/";
    }

    /** The runner's answer to a publication (the original's fields). */
    ObjectNode published() {
        ObjectNode n = Json.object();
        n.put("id", id).put("uri", "document://" + id).put("name", name).put("mime", mime).put("size", size).put("sha256", sha256);
        n.put("presentation", presentation);
        return n;
    }

    /** The original's document object, as {@code GET /api/documents/{id}} answers it. */
    ObjectNode json() {
        ObjectNode n = Json.object();
        n.put("object", "document").put("id", id).put("uri", "document://" + id).put("purpose", "agent_output");
        n.put("presentation", presentation).put("applicationId", applicationId).put("run_id", runId);
        n.putNull("chat_session_id");
        n.put("packageId", packageId).put("name", name).put("mime", mime).put("size", size).put("sha256", sha256);
        n.put("downloadable", true);
        n.set("capabilities", Json.object().put("visible", true).put("metadata", true).put("download", true).put("preview", false)
                .put("keep", false).put("delete", false));
        n.put("previewable", false).putNull("preview_kind");
        n.putNull("expiresAt");
        n.put("createdAt", createdAt);
        return n;
    }
}
