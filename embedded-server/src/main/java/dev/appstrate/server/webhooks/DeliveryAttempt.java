package dev.appstrate.server.webhooks;

import java.time.Instant;

/** One HTTP attempt of a delivery: {@code outcome} is success, retry (another attempt is scheduled) or failed. */
record DeliveryAttempt(String deliveryId, int attempt, String outcome, Integer statusCode, Integer latencyMs, String error,
                       Instant attemptedAt) {
}
