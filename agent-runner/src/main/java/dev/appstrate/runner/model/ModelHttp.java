package dev.appstrate.runner.model;

import dev.appstrate.runner.RunnerLog;
import dev.appstrate.runner.http.HttpTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
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
    private final HttpTransport transport;
    private final RetryPolicy policy;

    public ModelHttp(HttpTransport transport, RetryPolicy policy) {
        this.transport = transport;
        this.policy = policy;
    }

    public <T> T post(URI uri, Map<String, String> headers, String body, BodyParser<T> parser)
            throws ModelRequestException, InterruptedException {
        Map<String, String> allHeaders = new LinkedHashMap<>(headers);
        allHeaders.put("Content-Type", "application/json");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        String where = uri.getScheme() + "://" + uri.getAuthority() + uri.getPath();

        for (int attempt = 1; ; attempt++) {
            String failure;
            int status = 0;
            Duration retryAfter = null;
            Throwable cause = null;
            boolean retryable;
            try (HttpTransport.Response resp = transport.post(uri, allHeaders, bytes, REQUEST_TIMEOUT)) {
                status = resp.status();
                if (status / 100 == 2) {
                    return parser.parse(resp.body());
                }
                String errBody = new String(resp.body().readNBytes(2000), StandardCharsets.UTF_8).strip();
                failure = describeAnswer(status, uri, errBody);
                retryable = status == 408 || status == 429 || status >= 500;
                retryAfter = retryAfter(resp.header("retry-after").orElse(null));
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
                throw new ModelRequestException("Model request failed: " + failure + attempts,
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

    /** Parses {@code Retry-After}: delay seconds (fractions allowed) or an HTTP date. */
    static Duration retryAfter(String v) {
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

    /**
     * What an error answer means in one sentence: the server's problem {@code detail} (its LLM endpoint names
     * the provider it could not reach), else the provider's {@code error.message}, else the raw body.
     */
    static String describeAnswer(int status, URI uri, String body) {
        String said = null;
        if (body.startsWith("{")) {
            try {
                com.fasterxml.jackson.databind.JsonNode json = dev.appstrate.runner.Json.parse(body);
                if (json.path("detail").isTextual() && !json.path("detail").asText().isBlank()) {
                    String detail = json.path("detail").asText();
                    return Character.toLowerCase(detail.charAt(0)) + detail.substring(1);
                }
                com.fasterxml.jackson.databind.JsonNode err = json.path("error");
                said = err.isTextual() ? err.asText() : err.path("message").isTextual() ? err.path("message").asText()
                        : json.path("message").isTextual() ? json.path("message").asText() : null;
            } catch (RuntimeException notJson) {
                said = null;
            }
        }
        String text = said != null ? said : body;
        return "HTTP " + status + " from " + uri.getAuthority() + (text.isEmpty() ? "" : ": " + text);
    }

    /** A short, secret-free description of a transport failure. */
    static String describe(IOException e, URI uri) {
        String host = uri.getAuthority();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof HttpConnectTimeoutException
                    || t instanceof SocketTimeoutException && String.valueOf(t.getMessage()).contains("connect")) {
                return "connection to " + host + " timed out";
            }
            if (t instanceof HttpTimeoutException || t instanceof SocketTimeoutException) {
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
