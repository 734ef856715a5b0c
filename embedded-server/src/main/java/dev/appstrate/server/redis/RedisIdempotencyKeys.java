package dev.appstrate.server.redis;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.IdempotencyKeys;
import dev.appstrate.server.json.Json;
import io.lettuce.core.SetArgs;
import io.lettuce.core.api.sync.RedisCommands;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Idempotency keys every instance sees: {@code SET NX PX} claims a key, so one of two racing requests proceeds. When
 * Redis cannot be reached the claim answers 503 (nothing done), as a key no instance can check protects nothing.
 */
public final class RedisIdempotencyKeys implements IdempotencyKeys {
    private final SharedRedis redis;

    public RedisIdempotencyKeys(SharedRedis redis) {
        this.redis = redis;
    }

    @Override
    public Entry claim(String key, Entry fresh, long ttlMs) {
        return redis.required(c -> claimOnce(c, key, fresh, ttlMs));
    }

    private static Entry claimOnce(RedisCommands<String, String> c, String key, Entry fresh, long ttlMs) {
        String k = SharedRedis.PREFIX + "idem:" + key;
        for (int attempt = 0; attempt < 3; attempt++) {
            if ("OK".equals(c.set(k, encode(fresh), SetArgs.Builder.nx().px(ttlMs)))) {
                return null;
            }
            String existing = c.get(k);
            if (existing != null) {
                return decode(existing);
            }
            // expired between SET and GET: try to claim again
        }
        throw new IllegalStateException("Idempotency key kept expiring while being claimed");
    }

    @Override
    public void complete(String key, Entry done, long ttlMs) {
        redis.sync().set(SharedRedis.PREFIX + "idem:" + key, encode(done), SetArgs.Builder.px(ttlMs));
    }

    @Override
    public void release(String key) {
        redis.sync().del(SharedRedis.PREFIX + "idem:" + key);
    }

    private static String encode(Entry e) {
        ObjectNode o = Json.object().put("hash", e.bodyHash());
        if (e.response() != null) {
            ObjectNode r = o.putObject("response");
            r.put("status", e.response().status());
            ObjectNode h = r.putObject("headers");
            e.response().headers().forEach(h::put);
            r.put("body", Base64.getEncoder().encodeToString(e.response().body()));
        }
        return Json.string(o);
    }

    private static Entry decode(String s) {
        JsonNode o = RedisJson.read(s);
        JsonNode r = o.get("response");
        if (r == null || r.isNull()) {
            return new Entry(o.get("hash").asText(), null);
        }
        Map<String, String> headers = new LinkedHashMap<>();
        r.get("headers").fields().forEachRemaining(f -> headers.put(f.getKey(), f.getValue().asText()));
        return new Entry(o.get("hash").asText(), new Cached(r.get("status").asInt(), headers,
                Base64.getDecoder().decode(r.get("body").asText())));
    }
}
