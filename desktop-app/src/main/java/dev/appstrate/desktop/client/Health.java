package dev.appstrate.desktop.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Optional;

/** {@code GET /health}, read into what the dashboard shows; {@code raw} is kept for the connect probe's shape check. */
public record Health(int httpStatus, String status, String version, long uptimeMs, String database, JsonNode raw) {

    /** One named check: its status, and what ours adds (why docker is down); "" for none. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Check(String status, String reason, String error) {
        public Check {
            status = status == null ? "" : status;
            reason = reason == null ? "" : reason;
            error = error == null ? "" : error;
        }

        /** Why it is not healthy: the reason, else the error, else "". */
        public String why() {
            return reason.isEmpty() ? error : reason;
        }
    }

    static Health from(int httpStatus, JsonNode body) {
        String db = body.path("checks").path("database").path("status").asText("");
        return new Health(httpStatus, body.path("status").asText("unknown"), body.path("version").path("app").asText(""),
                body.path("uptime_ms").asLong(-1), db, body);
    }

    public boolean healthy() {
        return "healthy".equals(status);
    }

    /** A named check beyond the database (docker, …) when the server reports one. */
    public Optional<Check> check(String name) {
        JsonNode c = raw.path("checks").path(name);
        return c.isObject() ? Optional.of(DesktopJson.MAPPER.convertValue(c, Check.class)) : Optional.empty();
    }
}
