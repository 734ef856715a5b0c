package dev.appstrate.desktop.cli;

import dev.appstrate.desktop.client.Run;

/** The tail of the last stderr line: duration, tokens and cost when the server reports them. */
final class RunSummary {
    private RunSummary() {
    }

    static String of(Run run) {
        StringBuilder sb = new StringBuilder();
        if (run.duration() != null) {
            sb.append(" in ").append(run.duration()).append(" ms");
        }
        long tokens = run.tokensIn() + run.tokensOut();
        if (tokens > 0) {
            sb.append(", ").append(tokens).append(" tokens");
        }
        if (run.cost() != null && run.cost() > 0) {
            sb.append(String.format(java.util.Locale.ROOT, ", $%.4f", run.cost()));
        }
        return sb.toString();
    }
}
