package dev.appstrate.desktop.ui.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * Search hits over the shown lines, without JavaFX: the search, how many lines match, the current match and moving
 * between matches. The count over a large log is taken off the UI thread ({@link #recount}) and kept up to date as lines
 * come and go. Not thread-safe: one thread calls it.
 */
public final class LogMatches {
    private LogSearch search = LogSearch.NONE;
    private int count;
    private long currentId = -1;
    private int generation;

    public LogSearch search() {
        return search;
    }

    public boolean active() {
        return search.active();
    }

    public int count() {
        return count;
    }

    public long currentId() {
        return currentId;
    }

    /** A new search: no current match, count unknown (0) until a {@link #recount}. */
    void set(LogSearch s) {
        search = s;
        reset();
        currentId = -1;
    }

    /** The shown lines changed wholesale (filter, clear): the count is unknown until a {@link #recount}. */
    void reset() {
        generation++;
        count = 0;
    }

    void clear() {
        reset();
        currentId = -1;
    }

    void added(List<LogLine> lines) {
        if (search.active()) {
            count += countMatches(search, lines);
        }
    }

    void removed(List<LogLine> lines) {
        if (search.active()) {
            count = Math.max(0, count - countMatches(search, lines));
        }
    }

    /** A snapshot of {@code shown} to count matches over off the UI thread; {@link Recount#apply} takes the result back. */
    public Recount recount(List<LogLine> shown) {
        return new Recount(++generation, search, new ArrayList<>(shown));
    }

    /** A match count over a snapshot; lines added after the snapshot are counted as they come. */
    public final class Recount {
        private final int gen;
        private final LogSearch over;
        private final List<LogLine> snapshot;

        private Recount(int gen, LogSearch over, List<LogLine> snapshot) {
            this.gen = gen;
            this.over = over;
            this.snapshot = snapshot;
        }

        /** Any thread. */
        public int count() {
            return countMatches(over, snapshot);
        }

        /** Back on the model's thread; a stale count (the search or filter changed since) is ignored. */
        public boolean apply(int counted) {
            if (gen != generation) {
                return false;
            }
            count = counted;
            return true;
        }
    }

    /**
     * The index in {@code shown} of the next ({@code +1}) or previous ({@code -1}) match after the current one,
     * wrapping around, which becomes current; -1 when nothing matches.
     */
    int next(List<LogLine> shown, int direction) {
        if (!search.active() || shown.isEmpty()) {
            return -1;
        }
        int size = shown.size();
        int from;
        if (currentId < 0) {
            from = direction > 0 ? -1 : size;
        } else {
            from = LogWindowModel.lowerBound(shown, currentId);
            if ((from >= size || shown.get(from).id() != currentId) && direction > 0) {
                // the current match was trimmed or filtered away: continue from where it would have been
                from--;
            }
        }
        for (int step = 1; step <= size; step++) {
            int i = Math.floorMod(from + direction * step, size);
            if (search.matches(shown.get(i))) {
                currentId = shown.get(i).id();
                return i;
            }
        }
        return -1;
    }

    /** "3 / 12", "12 matches", "no match", "invalid" or "" (the ordinal needs a scan, so only on modest logs). */
    String label(List<LogLine> shown) {
        if (!search.active()) {
            return search.error() != null ? "invalid" : "";
        }
        if (currentId >= 0 && count > 0 && shown.size() <= 50_000) {
            int idx = LogWindowModel.lowerBound(shown, currentId);
            int ordinal = 0;
            for (int i = 0; i <= idx && i < shown.size(); i++) {
                if (search.matches(shown.get(i))) {
                    ordinal++;
                }
            }
            return ordinal + " / " + count;
        }
        return count == 0 ? "no match" : dev.appstrate.desktop.ui.Plural.of(count, "match");
    }

    static int countMatches(LogSearch s, List<LogLine> lines) {
        int c = 0;
        for (LogLine l : lines) {
            if (s.matches(l)) {
                c++;
            }
        }
        return c;
    }
}
