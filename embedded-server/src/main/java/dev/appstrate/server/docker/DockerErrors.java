package dev.appstrate.server.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.dockerjava.api.exception.DockerException;
import dev.appstrate.server.json.Json;

/** The engine's own words from a failed call ("Status 409: {"message":"…"}" → "…"). */
public final class DockerErrors {
    private DockerErrors() {
    }

    public static String message(RuntimeException e) {
        String raw = String.valueOf(e.getMessage()).trim();
        if (e instanceof DockerException) {
            int brace = raw.indexOf('{');
            if (brace >= 0) {
                try {
                    JsonNode n = Json.MAPPER.readTree(raw.substring(brace));
                    if (n.hasNonNull("message")) {
                        return n.get("message").asText().trim();
                    }
                } catch (Exception ignored) {
                    // not JSON: keep the raw text
                }
            }
        }
        return raw;
    }
}
