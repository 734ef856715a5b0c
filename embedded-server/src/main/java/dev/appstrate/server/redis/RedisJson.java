package dev.appstrate.server.redis;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;

/** Reads the JSON this server itself wrote to Redis; anything else there is a bug, not user input. */
final class RedisJson {
    private RedisJson() {
    }

    static JsonNode read(String s) {
        try {
            return Json.MAPPER.readTree(s);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Unreadable value in Redis: " + e.getOriginalMessage(), e);
        }
    }
}
