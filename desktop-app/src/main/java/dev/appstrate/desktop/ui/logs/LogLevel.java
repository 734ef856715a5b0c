package dev.appstrate.desktop.ui.logs;

import java.util.Locale;

/** Run log severities, lowest first, as the API's {@code level} (a minimum severity filter). */
public enum LogLevel {
    DEBUG, INFO, WARN, ERROR;

    public static LogLevel parse(String s) {
        if (s == null) {
            return INFO;
        }
        return switch (s.toLowerCase(Locale.ROOT)) {
            case "debug", "trace" -> DEBUG;
            case "warn", "warning" -> WARN;
            case "error", "fatal" -> ERROR;
            default -> INFO;
        };
    }

    public boolean atLeast(LogLevel min) {
        return ordinal() >= min.ordinal();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
