package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.Run;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** One run in the runs table, read from the Run DTO. */
public record RunRow(String id, String agent, String status, String started, String startedIso, String duration,
                     String cost, Run run) {
    private static final DateTimeFormatter SHOWN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    public static RunRow of(JsonNode run) {
        return of(Run.of(run));
    }

    public static RunRow of(Run run) {
        String startedIso = run.startedAt() == null ? "" : run.startedAt();
        return new RunRow(run.id(), run.agent(), run.status(), when(startedIso), startedIso, duration(run),
                costAndTokens(run), run);
    }

    static String when(String iso) {
        if (iso == null || iso.isEmpty()) {
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
        return run == null ? -1 : run.durationMs();
    }

    /** What the Runs search looks in, lower case: id, agent, status, error and the input sent. */
    String searchText() {
        JsonNode in = run == null ? null : run.inputObject();
        String error = run == null ? "" : run.errorMessage();
        return (id + " " + agent + " " + status + " " + error + " " + (in == null ? "" : in.toString())).toLowerCase(Locale.ROOT);
    }

    static String duration(Run run) {
        return formatDuration(run.durationMs());
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

    static String costAndTokens(Run run) {
        StringBuilder sb = new StringBuilder();
        if (run.cost() != null) {
            sb.append(String.format(Locale.ROOT, "$%.4f", run.cost()));
        }
        long in = run.tokensIn();
        long out = run.tokensOut();
        if (in + out > 0) {
            sb.append(sb.length() > 0 ? " · " : "").append(in).append(" in / ").append(out).append(" out");
        }
        return sb.toString();
    }
}
