package dev.appstrate.desktop.ui.runs;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.desktop.client.Run;
import java.util.Locale;

/** One run in the runs table: the Run DTO, and what the table's columns and search read from it. */
public record RunRow(Run run) {
    public static RunRow of(JsonNode run) {
        return new RunRow(Run.of(run));
    }

    public String id() {
        return run.id();
    }

    public String agent() {
        return run.agent();
    }

    public String status() {
        return run.status();
    }

    /** The start as an ISO instant, "" while not started. */
    public String startedIso() {
        return run.startedAt() == null ? "" : run.startedAt();
    }

    /** The duration in milliseconds, -1 while unknown (sorts before every real one). */
    public long durationMs() {
        return run.durationMs();
    }

    public String cost() {
        return costAndTokens(run);
    }

    /** What the Runs search looks in, lower case: id, agent, status, error and the input sent. */
    String searchText() {
        JsonNode in = run.inputObject();
        return (id() + " " + agent() + " " + status() + " " + run.errorMessage() + " " + (in == null ? "" : in.toString()))
                .toLowerCase(Locale.ROOT);
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
