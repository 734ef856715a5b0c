package dev.appstrate.desktop.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;

/**
 * One line of a run's log as the view keeps it: small and immutable (a million of them pass through
 * the view). {@code id} is the server's log id, increasing, also used as the SSE event id.
 * Read from JSON here ({@link #fromJson}): a log row's data payload is free-form, kept as the original sends it.
 */
public record LogLine(long id, long epochMillis, LogLevel level, String event, String message) {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter ISO = DateTimeFormatter.ISO_INSTANT;

    /** From a RunLog row or an SSE {@code run_log} payload: {id, type, level, event, message, data, createdAt}. */
    public static LogLine fromJson(JsonNode n) {
        String created = n.path("createdAt").asText("");
        long millis;
        try {
            millis = created.isEmpty() ? 0 : Instant.parse(created).toEpochMilli();
        } catch (RuntimeException e) {
            millis = 0;
        }
        String message = n.path("message").isNull() ? "" : n.path("message").asText("");
        LogLevel level = LogLevel.parse(n.path("level").asText(null));
        String event = n.path("event").asText("");
        if (message.isEmpty()) {
            message = EventText.of(event, level, n.get("data"));
        }
        return new LogLine(n.path("id").asLong(), millis, level, event, stripControl(message));
    }

    /** The line as shown (and copied): optional time, level, event, message. */
    public String format(boolean withTime) {
        StringBuilder sb = new StringBuilder(message.length() + 32);
        if (withTime) {
            sb.append(epochMillis == 0 ? "--:--:--.---" : TIME.format(Instant.ofEpochMilli(epochMillis))).append("  ");
        }
        sb.append(padLevel(level)).append("  ");
        if (!event.isEmpty() && !event.equals("log")) {
            sb.append('[').append(event).append("] ");
        }
        return sb.append(message).toString();
    }

    /** The line for an export file: ISO time, level, event, message. */
    public String exportText() {
        String t = epochMillis == 0 ? "" : ISO.format(Instant.ofEpochMilli(epochMillis));
        return t + "\t" + level.label() + "\t" + event + "\t" + message;
    }

    private static String padLevel(LogLevel l) {
        return switch (l) {
            case DEBUG -> "DEBUG";
            case INFO -> "INFO ";
            case WARN -> "WARN ";
            case ERROR -> "ERROR";
        };
    }

    /** ANSI escapes and other control characters are dropped, never rendered (as Portainer concluded). */
    static String stripControl(String s) {
        if (s.indexOf('\u001b') < 0 && s.chars().noneMatch(c -> c < 0x20 && c != '\t')) {
            return s;
        }
        String noAnsi = s.replaceAll("\u001b\\[[0-9;?]*[ -/]*[@-~]", "");
        StringBuilder sb = new StringBuilder(noAnsi.length());
        for (int i = 0; i < noAnsi.length(); i++) {
            char c = noAnsi.charAt(i);
            if (c == '\n' || c == '\r') {
                sb.append(' ');
            } else if (c >= 0x20 || c == '\t') {
                sb.append(c);
            }
        }
        return sb.toString();
    }
}
