package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.DesktopJson;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One run in the runs table, read from the Run DTO. */
public record RunRow(String id, String agent, String status, String started, String startedIso, String duration,
                     String cost, JsonNode raw) {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public static RunRow of(JsonNode run) {
        String startedIso = DesktopJson.text(run, "started_at");
        return new RunRow(DesktopJson.text(run, "id"), agentOf(run), DesktopJson.text(run, "status"), when(startedIso),
                startedIso, duration(run), costAndTokens(run), run);
    }

    static String agentOf(JsonNode run) {
        String scope = DesktopJson.text(run, "agent_scope");
        String name = DesktopJson.text(run, "agent_name");
        if (!name.isEmpty()) {
            return (scope.startsWith("@") ? scope : "@" + scope) + "/" + name;
        }
        return DesktopJson.text(run, "packageId");
    }

    static String when(String iso) {
        if (iso.isEmpty()) {
            return "";
        }
        try {
            return SHOWN.format(Instant.parse(iso));
        } catch (RuntimeException e) {
            return iso;
        }
    }

    /** The duration in milliseconds, -1 while unknown (sorts before every real one). */
    public long durationMs() {
        JsonNode d = raw == null ? null : raw.get("duration");
        return d == null || d.isNull() ? -1 : d.asLong();
    }

    /** What the Runs search looks in, lower case: id, agent, status, error and the input sent. */
    String searchText() {
        String input = raw == null || !raw.path("input").isObject() ? "" : raw.get("input").toString();
        return (id + " " + agent + " " + status + " " + DesktopJson.text(raw, "error") + " " + input).toLowerCase(Locale.ROOT);
    }

    static String duration(JsonNode run) {
        JsonNode d = run.get("duration");
        if (d == null || d.isNull()) {
            return "";
        }
        return formatDuration(d.asLong());
    }

    /** 428 ms, 19.5 s, 2 min 3 s. */
    public static String formatDuration(long ms) {
        if (ms < 0) {
            return "";
        }
        if (ms < 1000) {
            return ms + " ms";
        }
        if (ms < 60_000) {
            return String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
        }
        return (ms / 60_000) + " min " + (ms % 60_000) / 1000 + " s";
    }

    static String costAndTokens(JsonNode run) {
        StringBuilder sb = new StringBuilder();
        JsonNode cost = run.get("cost");
        if (cost != null && !cost.isNull()) {
            sb.append(String.format(Locale.ROOT, "$%.4f", cost.asDouble()));
        }
        JsonNode t = run.get("token_usage");
        if (t != null && t.isObject()) {
            long in = t.path("input_tokens").asLong(t.path("input").asLong(0));
            long out = t.path("output_tokens").asLong(t.path("output").asLong(0));
            if (in + out > 0) {
                sb.append(sb.length() > 0 ? " · " : "").append(in).append(" in / ").append(out).append(" out");
            }
        }
        return sb.toString();
    }
}
