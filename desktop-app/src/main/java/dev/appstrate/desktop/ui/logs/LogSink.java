package dev.appstrate.desktop.ui.logs;

/** Where a {@link LogSource} delivers lines; safe to call from any thread, never blocks. */
public interface LogSink {
    void line(LogLine line);

    /** A short human state of the source: "live", "reconnecting…", "run finished", … */
    default void status(String status) {
    }
}
