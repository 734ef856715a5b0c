package dev.appstrate.server.packages;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** One immutable version of a package; its bundle lives in the package store. */
public record PackageVersion(long id, String packageId, String version, String integrity, long artifactSize,
                             JsonNode manifest, String content, boolean yanked, String yankedReason, String createdBy,
                             Instant createdAt) {
}
