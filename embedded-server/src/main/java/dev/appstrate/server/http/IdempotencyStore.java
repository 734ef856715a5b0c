package dev.appstrate.server.http;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;

/**
 * The original's Idempotency-Key flow: a processing marker, 409 while in progress, 422 on a
 * different body, replay of cached 2xx/4xx responses for 24 h; thrown errors and 5xx release it.
 */
public final class IdempotencyStore {
    private static final Logger LOG = LoggerFactory.getLogger(IdempotencyStore.class);
    private static final Duration TTL = Duration.ofHours(24);
    private static final int MAX_CACHED_BODY = 1024 * 1024;
    private final IdempotencyKeys keys;

    public IdempotencyStore(IdempotencyKeys keys) {
        this.keys = keys;
    }

    public ApiResponse before(String scopeKey, String idemKey, byte[] body) {
        if (idemKey.length() > 255 || idemKey.isBlank()) {
            throw ApiException.invalidRequest("Idempotency-Key must be 1 to 255 characters", "Idempotency-Key")
                    .codeOverride("invalid_idempotency_key");
        }
        String key = scopeKey + ":" + idemKey;
        String hash = sha256(body);
        IdempotencyKeys.Entry existing = keys.claim(key, new IdempotencyKeys.Entry(hash, null), TTL.toMillis());
        if (existing == null) {
            return null;
        }
        if (!existing.bodyHash().equals(hash)) {
            throw new ApiException(422, "idempotency_conflict", "Idempotency-Key was already used with a different request body");
        }
        if (existing.response() == null) {
            throw ApiException.conflict("idempotency_in_progress", "A request with this Idempotency-Key is still being processed");
        }
        IdempotencyKeys.Cached cached = existing.response();
        ApiResponse replay = ApiResponse.bytes(cached.status(), cached.headers().get("Content-Type"), cached.body());
        cached.headers().forEach(replay::header);
        replay.header("Idempotent-Replayed", "true");
        return replay;
    }

    public void after(String scopeKey, String idemKey, byte[] body, ApiResponse response, boolean failed) {
        try {
            record(scopeKey + ":" + idemKey, body, response, failed);
        } catch (RuntimeException e) {
            // the work is done (or failed on its own): a shared store's outage must not replace the caller's answer
            LOG.warn("Idempotency key not recorded key={} error={}", idemKey, e.toString());
        }
    }

    private void record(String key, byte[] body, ApiResponse response, boolean failed) {
        if (failed || response == null || response.status() >= 500 || response.body() == null
                || response.body().length > MAX_CACHED_BODY) {
            keys.release(key);
            return;
        }
        keys.complete(key, new IdempotencyKeys.Entry(sha256(body),
                new IdempotencyKeys.Cached(response.status(), Map.copyOf(response.headers()), response.body())), TTL.toMillis());
    }

    private static String sha256(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(body == null ? new byte[0] : body));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
