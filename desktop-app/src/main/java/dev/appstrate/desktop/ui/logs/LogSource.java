package dev.appstrate.desktop.ui.logs;

import java.util.List;

/**
 * A stream of log lines for the {@link LiveLogView}: an in-memory source for tests and
 * benchmarks, or a server run over SSE. Lines arrive in id order.
 */
public interface LogSource extends AutoCloseable {
    /** Starts delivering to {@code sink} from the source's own thread(s); returns at once. */
    void start(LogSink sink);

    /** Up to {@code limit} lines with an id below {@code beforeId}, oldest first; blocking, called off the FX thread. */
    default List<LogLine> older(long beforeId, int limit) {
        return List.of();
    }

    @Override
    void close();
}
