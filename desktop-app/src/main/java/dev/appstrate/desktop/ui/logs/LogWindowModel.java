package dev.appstrate.desktop.ui.logs;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What the live log shows, without JavaFX: the kept lines (at most {@code capacity}), their level-filtered view,
 * lines held while paused, the window of the filtered view that the list holds, follow-tail, the new-lines count and
 * search hits. {@link LiveLogView} binds it to a list on screen through {@link LogViewport}; tests use a plain list.
 * Not thread-safe: one thread (the FX thread in the app) calls it.
 */
public final class LogWindowModel {
    /**
     * Most lines the list holds at once. JavaFX 21's VirtualFlow scans its whole item list several times per layout
     * (computeCurrentIndex, recalculateAndImproveEstimatedSize), so a 200k-item ListView stalls for hundreds of ms.
     */
    public static final int WINDOW = 4_000;
    /** How far the window slides when the user scrolls past its edge. */
    public static final int WINDOW_STEP = 1_000;

    private final int capacity;
    /** Every kept line, oldest first; {@link #shown} is its level-filtered view. */
    private final ArrayList<LogLine> all = new ArrayList<>();
    private final ArrayList<LogLine> shown = new ArrayList<>();
    private final ArrayList<LogLine> held = new ArrayList<>();
    /** The list's items: {@code shown[winStart, winStart + window.size())}. */
    private final List<LogLine> window;
    private final LogViewport viewport;
    private int winStart;
    private boolean follow = true;
    private boolean paused;
    private LogLevel minLevel = LogLevel.DEBUG;
    private int newLines;
    private final LogMatches matches = new LogMatches();
    private boolean olderExhausted;

    /** {@code window} is the list's item list (the view passes its ListView's items), changed in place. */
    public LogWindowModel(int capacity, List<LogLine> window, LogViewport viewport) {
        this.capacity = capacity;
        this.window = window;
        this.viewport = viewport;
    }

    // ---------------------------------------------------------------- state

    public int capacity() {
        return capacity;
    }

    public List<LogLine> shown() {
        return Collections.unmodifiableList(shown);
    }

    /** Every kept line, oldest first (export writes these). */
    public List<LogLine> kept() {
        return Collections.unmodifiableList(all);
    }

    public int winStart() {
        return winStart;
    }

    public boolean follow() {
        return follow;
    }

    public boolean paused() {
        return paused;
    }

    public LogLevel minLevel() {
        return minLevel;
    }

    /** Lines that arrived while the user was scrolled up or paused (the badge's N). */
    public int newLines() {
        return newLines;
    }

    /** The search and its hits over the shown lines. */
    public LogMatches matches() {
        return matches;
    }

    public boolean olderExhausted() {
        return olderExhausted;
    }

    public void olderExhausted(boolean exhausted) {
        this.olderExhausted = exhausted;
    }

    /** The id of the oldest kept line, or {@code Long.MAX_VALUE} with none. */
    public long oldestId() {
        return all.isEmpty() ? Long.MAX_VALUE : all.get(0).id();
    }

    /** Whether the last line is on screen. */
    public boolean atBottom() {
        if (window.isEmpty()) {
            return shown.isEmpty();
        }
        if (!viewport.laidOut()) {
            return true;
        }
        int last = viewport.lastVisible();
        return (last < 0 || last >= window.size() - 1) && winStart + window.size() >= shown.size();
    }

    // ---------------------------------------------------------------- changes

    public void clear() {
        all.clear();
        shown.clear();
        held.clear();
        window.clear();
        winStart = 0;
        newLines = 0;
        matches.clear();
        olderExhausted = false;
    }

    /** Adds a frame's lines: held while paused, otherwise kept, filtered and (following) scrolled to. */
    public int receive(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        if (paused) {
            held.addAll(lines);
            if (held.size() > capacity) {
                held.subList(0, held.size() - capacity).clear();
            }
            newLines += lines.size();
            return 0;
        }
        return append(lines);
    }

    /** Follow on: back to the newest line. Follow off: stay where the user is. */
    public void setFollow(boolean on) {
        if (on == follow) {
            return;
        }
        follow = on;
        if (on) {
            resumeAtBottom();
        }
    }

    /** Unpausing shows the held lines at once. */
    public void setPaused(boolean on) {
        if (on == paused) {
            return;
        }
        paused = on;
        if (!on) {
            List<LogLine> h = new ArrayList<>(held);
            held.clear();
            append(h);
            if (follow) {
                resumeAtBottom();
            }
        }
    }

    /** The new-lines badge: unpause, follow, newest line in view. */
    public void jumpToNewest() {
        setPaused(false);
        follow = true;
        resumeAtBottom();
    }

    /** A frame in follow mode where a busy layout left the list a line short of the end. */
    public void keepTailInView() {
        if (follow && !atBottom()) {
            showTail();
        }
    }

    public void setMinLevel(LogLevel min) {
        if (min == minLevel) {
            return;
        }
        minLevel = min;
        long anchor = window.isEmpty() ? -1 : window.get(0).id();
        shown.clear();
        if (min == LogLevel.DEBUG) {
            shown.addAll(all);
        } else {
            all.stream().filter(l -> l.level().atLeast(min)).forEach(shown::add);
        }
        window.clear();
        winStart = 0;
        matches.reset();
        if (follow || anchor < 0) {
            resumeAtBottom();
        } else {
            viewport.scrollTo(reveal(Math.min(lowerBound(shown, anchor), Math.max(0, shown.size() - 1))));
        }
    }

    /** Older lines paged in before the oldest kept one (ids at or above it are ignored). */
    public void prepend(List<LogLine> older) {
        long firstId = oldestId();
        List<LogLine> fresh = older.stream().filter(l -> l.id() < firstId).toList();
        all.addAll(0, fresh);
        List<LogLine> added = fresh.stream().filter(l -> l.level().atLeast(minLevel)).toList();
        shown.addAll(0, added);
        winStart += added.size();
        follow = false;
        viewport.scrollTo(reveal(0));
        matches.added(added);
    }

    /** After a user scroll: follow at the very end, slide the window at its edges, otherwise stay put. */
    public void userScrolled() {
        if (!viewport.laidOut() || window.isEmpty()) {
            setFollow(true);
            return;
        }
        int first = Math.max(0, viewport.firstVisible());
        int last = viewport.lastVisible() < 0 ? window.size() - 1 : viewport.lastVisible();
        boolean windowAtEnd = winStart + window.size() >= shown.size();
        if (last >= window.size() - 1) {
            if (windowAtEnd) {
                setFollow(true);
                return;
            }
            // slide forward: newer lines join at the bottom, the oldest leave at the top
            int end = winStart + window.size();
            int add = Math.min(WINDOW_STEP, shown.size() - end);
            window.addAll(shown.subList(end, end + add));
            int excess = Math.max(0, window.size() - WINDOW);
            if (excess > 0) {
                window.subList(0, excess).clear();
                winStart += excess;
            }
            viewport.scrollTo(Math.max(0, first - excess));
        } else if (first == 0 && winStart > 0) {
            // slide back: older lines join at the top, the newest leave at the bottom
            int add = Math.min(WINDOW_STEP, winStart);
            winStart -= add;
            window.addAll(0, shown.subList(winStart, winStart + add));
            int excess = window.size() - WINDOW;
            if (excess > 0) {
                window.subList(window.size() - excess, window.size()).clear();
            }
            viewport.scrollTo(add);
        }
        setFollow(false);
    }

    // ---------------------------------------------------------------- search

    /** A new search; the caller recounts its matches off the UI thread ({@link LogMatches#recount}). */
    public void setSearch(LogSearch s) {
        matches.set(s);
    }

    /**
     * Moves to the next ({@code +1}) or previous ({@code -1}) match, wrapping around; returns its index in the
     * window (re-centred on it), or -1 when nothing matches.
     */
    public int jumpToMatch(int direction) {
        int i = matches.next(shown, direction);
        if (i < 0) {
            return -1;
        }
        follow = false;
        return reveal(i);
    }

    /** "3 / 12", "12 matches", "no match", "invalid" or "". */
    public String matchLabel() {
        return matches.label(shown);
    }

    // ---------------------------------------------------------------- internals

    private int append(List<LogLine> lines) {
        if (lines.isEmpty()) {
            return 0;
        }
        addEach(all, lines);
        List<LogLine> fresh = minLevel == LogLevel.DEBUG ? lines : lines.stream().filter(l -> l.level().atLeast(minLevel)).toList();
        addEach(shown, fresh);
        matches.added(fresh);
        int overflow = all.size() - capacity;
        if (overflow > 0) {
            trimHead(overflow);
        }
        if (follow) {
            showTail();
        } else {
            int end = winStart + window.size();
            int before = shown.size() - fresh.size();
            if (end == before && window.size() < WINDOW) {
                // a window that ended at the newest line keeps filling while it has room, so the list agrees with the count
                window.addAll(fresh.subList(0, Math.min(fresh.size(), WINDOW - window.size())));
            }
            newLines += fresh.size();
        }
        return fresh.size();
    }

    /** Drops the oldest {@code count} kept lines, in one batch (trimming line by line froze other log views). */
    private void trimHead(int count) {
        long firstKept = all.get(count).id();
        all.subList(0, count).clear();
        int k = lowerBound(shown, firstKept);
        if (k > 0) {
            matches.removed(shown.subList(0, k));
            shown.subList(0, k).clear();
            winStart -= k;
            if (winStart < 0) {
                window.subList(0, Math.min(-winStart, window.size())).clear();
                winStart = 0;
            }
        }
        olderExhausted = false;
    }

    /** Follow mode: the window ends at the newest line, which is scrolled into view. */
    private void showTail() {
        int end = winStart + window.size();
        if (end < shown.size() && shown.size() - end <= WINDOW && !window.isEmpty()) {
            window.addAll(shown.subList(end, shown.size()));
            int excess = window.size() - WINDOW;
            if (excess > 0) {
                window.subList(0, excess).clear();
                winStart += excess;
            }
        } else if (end != shown.size() || window.size() > WINDOW) {
            winStart = Math.max(0, shown.size() - WINDOW);
            replaceWindow(winStart, shown.size());
        }
        if (!window.isEmpty()) {
            viewport.scrollTo(window.size() - 1);
        }
    }

    /** Re-centres the window so that {@code index} of {@link #shown} is in it; returns its index in the window. */
    private int reveal(int index) {
        if (index < winStart || index >= winStart + window.size()) {
            winStart = Math.max(0, Math.min(index - WINDOW / 2, shown.size() - WINDOW));
            replaceWindow(winStart, Math.min(shown.size(), winStart + WINDOW));
        }
        return index - winStart;
    }

    private void replaceWindow(int from, int to) {
        viewport.replaceItems(window, shown.subList(from, to));
    }

    private void resumeAtBottom() {
        newLines = 0;
        showTail();
    }

    /** {@code to.addAll(from)} without the copy of {@code from} that ArrayList.addAll makes (one per frame, per list). */
    private static void addEach(ArrayList<LogLine> to, List<LogLine> from) {
        to.ensureCapacity(to.size() + from.size());
        for (int i = 0, n = from.size(); i < n; i++) {
            to.add(from.get(i));
        }
    }

        /** Index of the first line with id >= {@code id} (lines are kept in id order). */
    static int lowerBound(List<LogLine> lines, long id) {
        int lo = 0;
        int hi = lines.size();
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (lines.get(mid).id() < id) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }
}
