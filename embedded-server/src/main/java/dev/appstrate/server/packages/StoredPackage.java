package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A package row: its working copy (manifest + primary content) and bookkeeping. */
public record StoredPackage(String id, String orgId, String type, String source, JsonNode draftManifest,
                            String draftContent, int lockVersion, boolean autoInstalled, String forkedFrom,
                            String createdBy, Instant createdAt, Instant updatedAt) {

    public String scope() {
        return id.substring(0, id.indexOf('/'));
    }
}
