package dev.appstrate.runner;

import java.time.Instant;

/**
 * Diagnostic lines on stderr ({@code <time> <level> agent-runner <message> key=value…}). The server only
 * ring-buffers this stream for crash reports; results travel over the signed sink. Callers never pass
 * secrets here.
 */
public final class RunnerLog {
    private static volatile boolean debug = false;

    private RunnerLog() {
    }

    public static void enableDebug(boolean on) {
        debug = on;
    }

    public static void debug(String msg, Object... kv) {
        if (debug) {
            write("DEBUG", msg, kv);
        }
    }

    public static void info(String msg, Object... kv) {
        write("INFO", msg, kv);
    }

    public static void warn(String msg, Object... kv) {
        write("WARN", msg, kv);
    }

    public static void error(String msg, Object... kv) {
        write("ERROR", msg, kv);
    }

    private static void write(String level, String msg, Object... kv) {
        StringBuilder sb = new StringBuilder(96).append(Instant.now()).append(' ').append(level)
                .append(" agent-runner ").append(msg);
        for (int i = 0; i + 1 < kv.length; i += 2) {
            sb.append(' ').append(kv[i]).append('=').append(kv[i + 1]);
        }
        System.err.println(sb);
    }
}
