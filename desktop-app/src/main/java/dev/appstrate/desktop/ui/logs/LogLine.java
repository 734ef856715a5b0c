package dev.appstrate.desktop.ui.logs;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.zone.ZoneRules;
import java.time.format.DateTimeFormatter;

/**
 * One line of a run's log as the view keeps it: small and immutable (a million of them pass through
 * the view). {@code id} is the server's log id, increasing, also used as the SSE event id.
 * Read from JSON here ({@link #fromJson}): a log row's data payload is free-form, kept as the original sends it.
 */
public record LogLine(long id, long epochMillis, LogLevel level, String event, String message) {
    private static final ZoneRules ZONE = ZoneId.systemDefault().getRules();
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
        String event = n.path("event").asText("");
        LogLevel level = LogLevel.parse(n.path("level").asText(null));
        if (level == LogLevel.ERROR && "run_completed".equals(event) && "cancelled".equals(n.path("data").path("status").asText(""))) {
            level = LogLevel.INFO; // the user's own cancel, not a failure (a server may still write it at error level)
        }
        if (message.isEmpty()) {
            message = EventText.of(event, level, n.get("data"));
        }
        return new LogLine(n.path("id").asLong(), millis, level, event, stripControl(message));
    }

    /** The line as shown (and copied): optional time, level, event, message. */
    public String format(boolean withTime) {
        StringBuilder sb = new StringBuilder(message.length() + 32);
        if (withTime) {
            if (epochMillis == 0) {
                sb.append("--:--:--.---");
            } else {
                appendTime(sb, epochMillis, ZONE);
            }
            sb.append("  ");
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

    /**
     * HH:mm:ss.SSS in {@code zone}, written digit by digit: every visible row is formatted again on each changed frame,
     * and DateTimeFormatter allocated a BigDecimal, boxed fields and a builder per row.
     */
    static void appendTime(StringBuilder sb, long epochMillis, ZoneRules zone) {
        long local = epochMillis + zone.getOffset(Instant.ofEpochMilli(epochMillis)).getTotalSeconds() * 1000L;
        int ms = (int) Math.floorMod(local, 86_400_000L);
        two(sb, ms / 3_600_000).append(':');
        two(sb, ms / 60_000 % 60).append(':');
        two(sb, ms / 1000 % 60).append('.');
        int milli = ms % 1000;
        sb.append((char) ('0' + milli / 100)).append((char) ('0' + milli / 10 % 10)).append((char) ('0' + milli % 10));
    }

    private static StringBuilder two(StringBuilder sb, int v) {
        return sb.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
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
