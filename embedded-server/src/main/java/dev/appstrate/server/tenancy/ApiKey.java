package dev.appstrate.server.tenancy;

import java.time.Instant;
import java.util.List;

/** A stored API key; the raw key is never stored, only its SHA-256. */
public record ApiKey(String id, String orgId, String applicationId, String name, String keyHash, String keyPrefix,
                     List<String> scopes, String createdBy, Instant expiresAt, Instant lastUsedAt, Instant revokedAt,
                     Instant createdAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(now));
    }
}
