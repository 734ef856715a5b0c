package dev.appstrate.server.webhooks;

import java.time.Instant;

/**
 * One event sent to one webhook, with its latest outcome. {@code status} is {@code pending} until it succeeds or
 * fails for good; {@code nextAttemptAt} is when a pending delivery is (re)tried.
 */
record Delivery(String id, String webhookId, String eventId, String eventType, String payload, String status,
                int attempts, int maxAttempts, Instant nextAttemptAt, Integer statusCode, Integer latencyMs, String error,
                Instant createdAt, Instant updatedAt) {
    static final String PENDING = "pending";
    static final String SUCCESS = "success";
    static final String FAILED = "failed";
}
