package dev.appstrate.desktop.ui.runs;

import javafx.geometry.Orientation;
import javafx.scene.Node;
import javafx.scene.control.ListView;
import javafx.scene.control.SplitPane;
import javafx.scene.input.MouseEvent;

/**
 * The run page's split: the run's data (output, input) above, its log below. The data takes {@link #DATA_SHARE} of the
 * height, but never so much that the log shows fewer than {@link #LOG_LINES} lines (in a 900 × 600 window it gave the
 * log two); the data keeps at least {@link #DATA_MIN}. Once the user drags the divider, their position is kept.
 */
final class LogFirstSplit extends SplitPane {
    /** The data's share of a tall window (the position this page always had). */
    static final double DATA_SHARE = 0.38;
    /** Lines the log has room for before the data may take more than its minimum. */
    static final int LOG_LINES = 12;
    /** The data pane's least height: its title and about three lines of JSON. */
    static final double DATA_MIN = 72;
    /** The log's toolbar, tab header and status line before it has been laid out once. */
    private static final double LOG_CHROME_GUESS = 110;

    private final Node log;
    private final ListView<?> lines;
    private boolean placedByUser;

    LogFirstSplit(Node data, Node log, ListView<?> lines) {
        super(data, log);
        this.log = log;
        this.lines = lines;
        setOrientation(Orientation.VERTICAL);
        setDividerPositions(DATA_SHARE);
        // a press on the divider is the user placing it (SplitPane dividers move by mouse only)
        addEventFilter(MouseEvent.MOUSE_PRESSED, e -> {
            for (Node n = e.getTarget() instanceof Node t ? t : null; n != null && n != this; n = n.getParent()) {
                if (n.getStyleClass().contains("split-pane-divider")) {
                    placedByUser = true;
                    return;
                }
            }
        });
    }

    @Override
    protected void layoutChildren() {
        if (!placedByUser && getHeight() > 0) {
            setDividerPosition(0, dataHeight(getHeight()) / getHeight());
        }
        super.layoutChildren();
    }

    /** The data pane's height in a split {@code height} high. */
    private double dataHeight(double height) {
        double cell = lines.getFixedCellSize() > 0 ? lines.getFixedCellSize() : 18;
        double chrome = log.getLayoutBounds().getHeight() > 0 && lines.getHeight() > 0
                ? log.getLayoutBounds().getHeight() - lines.getHeight() : LOG_CHROME_GUESS;
        double logWants = chrome + LOG_LINES * cell + lines.snappedTopInset() + lines.snappedBottomInset();
        double divider = 6;
        return Math.max(Math.min(DATA_SHARE * height, height - divider - logWants), Math.min(DATA_MIN, DATA_SHARE * height));
    }
}
