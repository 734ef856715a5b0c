package dev.appstrate.desktop.ui.logs;

import java.util.List;

/** The list on screen: which window rows are visible, and scrolling it. */
public interface LogViewport {
    /** Whether the list has been laid out (visible rows are known). */
    boolean laidOut();

    /** Window index of the first visible row, or -1 if none. */
    int firstVisible();

    /** Window index of the last visible row, or -1 if none. */
    int lastVisible();

    void scrollTo(int windowIndex);

    /** Replaces the list's items with {@code lines}; the list on screen does it in one change event, not two. */
    default void replaceItems(List<LogLine> items, List<LogLine> lines) {
        items.clear();
        items.addAll(lines);
    }
}
