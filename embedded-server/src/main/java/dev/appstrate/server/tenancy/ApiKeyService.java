package dev.appstrate.server.tenancy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;

/**
 * Creates, validates and revokes API keys. Validation is cached by hash so a keyed request does not
 * hit SQLite; revocation through this service drops the cache entry at once.
 */
public final class ApiKeyService {
    private static final Duration TOUCH_EVERY = Duration.ofSeconds(60);
    private static final Duration CACHE_FOR = Duration.ofSeconds(30);
    private final ApiKeyRepository repo;
    private final Clock clock;
    private final Executor background;
    private final SecureRandom random = new SecureRandom();
    private final Map<String, Cached> byHash = new ConcurrentHashMap<>();
    private final Map<String, Instant> lastTouch = new ConcurrentHashMap<>();

    private record Cached(Optional<ApiKey> key, Instant until) {
    }

    /** The raw key, shown once, and its stored row. */
    public record Created(String rawKey, ApiKey key) {
    }

    public ApiKeyService(ApiKeyRepository repo, Clock clock, Executor background) {
        this.repo = repo;
        this.clock = clock;
        this.background = background;
    }

    public Created create(String orgId, String appId, String name, List<String> scopes, Instant expiresAt, String createdBy) {
        byte[] raw = new byte[24];
        random.nextBytes(raw);
        String rawKey = "ask_" + HexFormat.of().formatHex(raw);
        ApiKey key = new ApiKey(java.util.UUID.randomUUID().toString(), orgId, appId, name, sha256Hex(rawKey),
                rawKey.substring(0, 8), scopes, createdBy, expiresAt, null, null, clock.instant());
        repo.insert(key);
        return new Created(rawKey, key);
    }

    /** The usable key for this raw value, or empty (unknown, revoked, expired). */
    public Optional<ApiKey> validate(String rawKey) {
        String hash = sha256Hex(rawKey);
        Instant now = clock.instant();
        Cached c = byHash.get(hash);
        if (c == null || c.until().isBefore(now)) {
            c = new Cached(repo.byHash(hash), now.plus(CACHE_FOR));
            if (byHash.size() > 10_000) {
                byHash.clear();
            }
            byHash.put(hash, c);
        }
        Optional<ApiKey> key = c.key().filter(k -> k.usableAt(now));
        key.ifPresent(k -> touch(k, now));
        return key;
    }

    private void touch(ApiKey k, Instant now) {
        Instant last = lastTouch.get(k.id());
        if (last == null || last.plus(TOUCH_EVERY).isBefore(now)) {
            lastTouch.put(k.id(), now);
            // lastUsedAt is informative: written at most once a minute per key, off the request path
            background.execute(() -> repo.touch(k.id(), now));
        }
    }

    /** Drops every cached key of an application (it was deleted): its keys are refused from the next request. */
    public void forgetApplication(String applicationId) {
        byHash.values().removeIf(c -> c.key().map(k -> applicationId.equals(k.applicationId())).orElse(false));
    }

    /** A key's name, revoked or expired ones included (a run keeps the name of the key that started it). */
    public Optional<String> name(String keyId) {
        return repo.byId(keyId).map(ApiKey::name);
    }

    public boolean revoke(ApiKey key) {
        boolean done = repo.revoke(key.id(), clock.instant());
        byHash.remove(key.keyHash());
        return done;
    }

    public static String sha256Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
