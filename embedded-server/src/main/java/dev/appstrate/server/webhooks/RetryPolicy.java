package dev.appstrate.server.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.List;

/**
 * The original's delivery schedule: 8 attempts, retried 30 s, 5 min, 30 min, 1 h, 2 h, 3 h and 4 h after each
 * failure. A 4xx other than 408/429 and a redirect are final; a {@code Retry-After} from the receiver wins.
 */
final class RetryPolicy {
    static final int MAX_ATTEMPTS = 8;
    static final List<Duration> DELAYS = List.of(Duration.ofSeconds(30), Duration.ofMinutes(5), Duration.ofMinutes(30),
            Duration.ofHours(1), Duration.ofHours(2), Duration.ofHours(3), Duration.ofHours(4));
    /** A receiver cannot push a retry further out than the longest regular delay. */
    private static final Duration MAX_RETRY_AFTER = Duration.ofHours(4);

    private RetryPolicy() {
    }

    static boolean success(int statusCode) {
        return statusCode >= 200 && statusCode < 300;
    }

    /** Whether a failed HTTP response is worth another attempt. */
    static boolean retryable(int statusCode) {
        if (statusCode >= 300 && statusCode < 400) {
            return false; // redirects are never followed, so retrying cannot help
        }
        if (statusCode >= 400 && statusCode < 500) {
            return statusCode == 408 || statusCode == 429;
        }
        return true;
    }

    /** The delay after failed attempt number {@code attempt} (1-based). */
    static Duration delayAfter(int attempt) {
        return DELAYS.get(Math.min(attempt, DELAYS.size()) - 1);
    }

    /** When to try again: the receiver's Retry-After if it sent one, otherwise the schedule. */
    static Instant nextAttempt(int attempt, String retryAfter, Instant now) {
        Duration d = parseRetryAfter(retryAfter, now);
        return now.plus(d != null ? d : delayAfter(attempt));
    }

    /** Seconds or an HTTP date; null when absent or unreadable. */
    static Duration parseRetryAfter(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        Duration d;
        try {
            d = Duration.ofSeconds(Math.max(0, Long.parseLong(v)));
        } catch (NumberFormatException e) {
            try {
                d = Duration.between(now, ZonedDateTime.parse(v, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant());
                if (d.isNegative()) {
                    d = Duration.ZERO;
                }
            } catch (DateTimeParseException e2) {
                return null;
            }
        }
        return d.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : d;
    }
}
