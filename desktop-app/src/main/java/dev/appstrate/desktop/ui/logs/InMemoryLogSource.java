package dev.appstrate.desktop.ui.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * A source fed by code: {@link #push} lines from any thread. Lines pushed before {@link #start}
 * are delivered at start. {@code history} answers "load older".
 */
public final class InMemoryLogSource implements LogSource {
    private final List<LogLine> history;
    private final List<LogLine> early = new ArrayList<>();
    private volatile LogSink sink;

    public InMemoryLogSource() {
        this(List.of());
    }

    public InMemoryLogSource(List<LogLine> history) {
        this.history = List.copyOf(history);
    }

    @Override
    public void start(LogSink s) {
        synchronized (early) {
            early.forEach(s::line);
            early.clear();
            this.sink = s;
        }
        s.status("in memory");
    }

    public void push(LogLine line) {
        LogSink s = sink;
        if (s == null) {
            synchronized (early) {
                if (sink == null) {
                    early.add(line);
                    return;
                }
                s = sink;
            }
        }
        s.line(line);
    }

    public void status(String status) {
        LogSink s = sink;
        if (s != null) {
            s.status(status);
        }
    }

    @Override
    public List<LogLine> older(long beforeId, int limit) {
        List<LogLine> before = history.stream().filter(l -> l.id() < beforeId).toList();
        return before.subList(Math.max(0, before.size() - limit), before.size());
    }

    @Override
    public void close() {
        sink = null;
    }
}
