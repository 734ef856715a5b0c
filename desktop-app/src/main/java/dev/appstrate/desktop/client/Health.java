package dev.appstrate.desktop.client;

import com.fasterxml.jackson.databind.JsonNode;

/** {@code GET /health}, read into what the dashboard shows. */
public record Health(int httpStatus, String status, String version, long uptimeMs, String database, JsonNode raw) {

    static Health from(int httpStatus, JsonNode body) {
        String db = body.path("checks").path("database").path("status").asText("");
        return new Health(httpStatus, body.path("status").asText("unknown"), body.path("version").path("app").asText(""),
                body.path("uptime_ms").asLong(-1), db, body);
    }

    public boolean healthy() {
        return "healthy".equals(status);
    }

    /** A named check beyond the database (docker, run adapter, …) when the server reports one. */
    public JsonNode check(String name) {
        return raw.path("checks").path(name);
    }
}
