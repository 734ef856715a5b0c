package dev.appstrate.runner.model;

import dev.appstrate.runner.RunnerLog;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * POSTs JSON to the model with retries: exponential backoff (base delay doubling, ±25 % jitter) on
 * connection errors, 408, 429 and 5xx, honouring {@code Retry-After}. Other 4xx fail at once. The
 * response body is parsed inside the retry so a stream cut mid-way is retried too.
 */
public final class ModelHttp {

    /** Parses a 2xx response body. */
    public interface BodyParser<T> {
        T parse(InputStream body) throws IOException;
    }

    /**
     * @param maxAttempts total attempts, at least 1
     * @param baseDelay   delay before the second attempt; doubles each time
     * @param maxDelay    cap on any single wait, including {@code Retry-After}
     */
    public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay) {
        public static final RetryPolicy DEFAULT = new RetryPolicy(4, Duration.ofMillis(200), Duration.ofSeconds(20));
        public static final RetryPolicy NONE = new RetryPolicy(1, Duration.ZERO, Duration.ZERO);
    }

    private static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(10);
    private final HttpClient client;
    private final RetryPolicy policy;

    public ModelHttp(HttpClient client, RetryPolicy policy) {
        this.client = client;
        this.policy = policy;
    }

    public <T> T post(URI uri, Map<String, String> headers, String body, BodyParser<T> parser)
            throws ModelRequestException, InterruptedException {
        HttpRequest.Builder rb = HttpRequest.newBuilder(uri).timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(rb::header);
        HttpRequest request = rb.build();
        String where = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();

        for (int attempt = 1; ; attempt++) {
            String failure;
            int status = 0;
            Duration retryAfter = null;
            Throwable cause = null;
            boolean retryable;
            try {
                HttpResponse<InputStream> resp = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
                status = resp.statusCode();
                try (InputStream in = resp.body()) {
                    if (status / 100 == 2) {
                        return parser.parse(in);
                    }
                    String errBody = new String(in.readNBytes(2000), StandardCharsets.UTF_8).strip();
                    failure = "HTTP " + status + " from " + uri.getAuthority() + (errBody.isEmpty() ? "" : ": " + errBody);
                }
                retryable = status == 408 || status == 429 || status >= 500;
                retryAfter = retryAfter(resp.headers());
            } catch (BadModelResponse e) {
                throw new ModelRequestException("Model request failed: unexpected response from " + uri.getAuthority()
                        + ": " + e.getMessage() + " (POST " + where + ")", status, e);
            } catch (IOException e) {
                cause = e;
                failure = describe(e, uri);
                retryable = true;
            }
            if (!retryable || attempt >= policy.maxAttempts()) {
                String attempts = attempt > 1 ? ", after " + attempt + " attempts" : "";
                throw new ModelRequestException("Model request failed: " + failure + " (POST " + where + attempts + ")",
                        status, cause);
            }
            Duration wait = backoff(attempt, retryAfter);
            RunnerLog.warn("model request failed, retrying", "attempt", attempt, "status", status,
                    "host", uri.getAuthority(), "waitMs", wait.toMillis());
            Thread.sleep(wait.toMillis());
        }
    }

    private Duration backoff(int attempt, Duration retryAfter) {
        long max = policy.maxDelay().toMillis();
        if (retryAfter != null) {
            return Duration.ofMillis(Math.min(max, Math.max(0, retryAfter.toMillis())));
        }
        long base = policy.baseDelay().toMillis() << Math.min(attempt - 1, 16);
        double jitter = 1 + (ThreadLocalRandom.current().nextDouble() * 0.5 - 0.25);
        return Duration.ofMillis(Math.min(max, (long) (base * jitter)));
    }

    static Duration retryAfter(HttpHeaders headers) {
        String v = headers.firstValue("retry-after").orElse(null);
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return Duration.ofMillis((long) (Double.parseDouble(v.trim()) * 1000));
        } catch (NumberFormatException e) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(v.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                return Duration.ofMillis(Math.max(0, at.toInstant().toEpochMilli() - System.currentTimeMillis()));
            } catch (RuntimeException ignored) {
                return null;
            }
        }
    }

    /** A short, secret-free description of a transport failure. */
    static String describe(IOException e, URI uri) {
        String host = uri.getAuthority();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException) {
                return "connection to " + host + " timed out";
            }
            if (t instanceof HttpTimeoutException) {
                return "no response from " + host + " (timed out)";
            }
            if (t instanceof ConnectException) {
                return "connection refused by " + host;
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                return "unknown host " + uri.getHost();
            }
        }
        String msg = e.getMessage();
        return "I/O error talking to " + host + " (" + e.getClass().getSimpleName()
                + (msg == null || msg.isBlank() ? "" : ": " + msg) + ")";
    }
}
