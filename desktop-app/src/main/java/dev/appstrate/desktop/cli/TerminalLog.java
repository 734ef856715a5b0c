package dev.appstrate.desktop.cli;

import dev.appstrate.desktop.ui.logs.LogLevel;
import dev.appstrate.desktop.ui.logs.LogLine;
import dev.appstrate.desktop.ui.logs.LogSink;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** A run's log lines on stderr, once each (by id), coloured by level when stderr is a terminal. */
final class TerminalLog implements LogSink {
    private static final String RESET = "\u001b[0m";
    private final PrintStream err;
    private final boolean colour;
    private long lastId;

    TerminalLog(PrintStream err, boolean colour) {
        this.err = err;
        this.colour = colour;
    }

    /** NO_COLOR turns colour off, FORCE_COLOR on; otherwise colour only when stderr is a terminal. */
    static boolean colourWanted(Map<String, String> env) {
        if (env.get("NO_COLOR") != null && !env.get("NO_COLOR").isEmpty()) {
            return false;
        }
        if (env.get("FORCE_COLOR") != null && !env.get("FORCE_COLOR").isEmpty()) {
            return true;
        }
        if ("dumb".equals(env.get("TERM"))) {
            return false;
        }
        try {
            // Linux: where fd 2 points; a terminal is /dev/pts/N or /dev/ttyN
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (Exception e) {
            return System.console() != null;
        }
    }

    @Override
    public synchronized void line(LogLine line) {
        if (line.id() <= lastId) {
            return;
        }
        lastId = line.id();
        String text = line.format(true);
        err.println(colour ? colourOf(line.level()) + text + RESET : text);
    }

    synchronized long lastId() {
        return lastId;
    }

    @Override
    public void status(String status) {
        // the stream's own state ("live", "reconnecting…") is not part of the run's log
    }

    private static String colourOf(LogLevel level) {
        return switch (level) {
            case DEBUG -> "\u001b[2m";
            case INFO -> "";
            case WARN -> "\u001b[33m";
            case ERROR -> "\u001b[31m";
        };
    }
}
