package dev.appstrate.server.webhooks;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code webhooks}. {@code level} is {@code org} (every application; {@code applicationId} null) or
 * {@code application}. During a rotation window both {@code secret} and {@code secretNext} sign deliveries.
 */
record Webhook(String id, String level, String orgId, String applicationId, String url, List<String> events,
               String packageId, String payloadMode, boolean enabled, String secret, String secretNext,
               Instant secretNextExpiresAt, Instant createdAt, Instant updatedAt) {

    boolean rotating(Instant now) {
        return secretNext != null && secretNextExpiresAt != null && secretNextExpiresAt.isAfter(now);
    }

    /** A rotation whose window has passed: the next secret becomes the only one. */
    boolean rotationExpired(Instant now) {
        return secretNext != null && !rotating(now);
    }

    /** The secrets that sign a delivery at {@code now}, current first. */
    List<String> signingSecrets(Instant now) {
        List<String> out = new ArrayList<>(2);
        if (rotationExpired(now)) {
            out.add(secretNext);
            return out;
        }
        out.add(secret);
        if (rotating(now)) {
            out.add(secretNext);
        }
        return out;
    }
}
