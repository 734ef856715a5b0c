package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Plural;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.IntegerProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.Node;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Pane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/**
 * The live log's toolbar: follow, pause, level, search with its match navigation, then time, wrap, copy, export, older.
 * One row whenever the search field can give up width for it; in a narrower window the second group moves, whole, to
 * a second row (never one button alone).
 */
final class LogToolbar extends Pane {
    private static final double GAP = 6;
    private static final double ROW_GAP = 4;
    private static final double SEARCH_MIN = 140;
    private final Button olderButton = new Button("Load older");
    private final HBox find;
    private final HBox show;

    LogToolbar(LiveLogView view) {
        ToggleButton followBtn = toggle("Follow", "log-follow", view.followProperty(), "Keep the newest line in view (End)");
        ToggleButton pauseBtn = toggle("Pause", "log-pause", view.pausedProperty(), "Stop adding lines to the view; they are kept and counted");
        ComboBox<LogLevel> level = new ComboBox<>(FXCollections.observableArrayList(LogLevel.values()));
        level.setId("log-level");
        level.valueProperty().bindBidirectional(view.minLevelProperty());
        level.setTooltip(new Tooltip("Minimum level shown"));
        ToggleButton regexBtn = toggle(".*", "log-regex", view.regexProperty(), "Regular expression");
        Button prev = button("▲", "log-prev", "Previous match (Shift+Enter)", view::previousMatch);
        Button next = button("▼", "log-next", "Next match (Enter)", view::nextMatch);
        ToggleButton timeBtn = toggle("Time", "log-timestamps", view.timestampsProperty(), "Show timestamps");
        ToggleButton wrapBtn = toggle("Wrap", "log-wrap", view.wrapProperty(), "Wrap long lines");
        Button copy = button("Copy", "log-copy", "Copy the selected lines (Ctrl+C)", view::copySelection);
        Button export = button("Export…", "log-export", "Save the whole log to a file", view::export);
        olderButton.setId("log-older");
        olderButton.setTooltip(new Tooltip("Fetch earlier lines than the oldest one shown"));
        olderButton.setOnAction(e -> view.loadOlder());
        find = group(followBtn, pauseBtn, level, view.searchField(), regexBtn, prev, next, view.matchLabel());
        show = group(timeBtn, wrapBtn, copy, export, olderButton);
        show.setId("log-toolbar-view");
        // only the search field gives up width: the buttons keep their whole labels
        view.searchField().setMinWidth(SEARCH_MIN);
        HBox.setHgrow(view.searchField(), Priority.ALWAYS);
        getChildren().addAll(find, show);
        setPadding(new Insets(4, 6, 4, 6));
    }

    private static HBox group(Node... controls) {
        for (Node n : controls) {
            if (n instanceof Region r) {
                r.setMinWidth(Region.USE_PREF_SIZE);
            }
        }
        HBox box = new HBox(GAP, controls);
        box.setAlignment(Pos.CENTER_LEFT);
        return box;
    }

    private boolean oneRow(double width) {
        return width - snappedLeftInset() - snappedRightInset() >= find.minWidth(-1) + GAP + show.prefWidth(-1);
    }

    @Override
    protected void layoutChildren() {
        double x = snappedLeftInset();
        double y = snappedTopInset();
        double w = getWidth() - x - snappedRightInset();
        double showW = show.prefWidth(-1);
        if (oneRow(getWidth())) {
            double h = Math.max(find.prefHeight(-1), show.prefHeight(-1));
            double findW = Math.min(find.prefWidth(-1), w - GAP - showW);
            find.resizeRelocate(x, y, findW, h);
            show.resizeRelocate(x + w - showW, y, showW, h); // the view group at the right edge, as before
        } else {
            double findH = find.prefHeight(-1);
            find.resizeRelocate(x, y, Math.min(find.prefWidth(-1), Math.max(w, find.minWidth(-1))), findH);
            show.resizeRelocate(x, y + findH + ROW_GAP, showW, show.prefHeight(-1));
        }
    }

    @Override
    protected double computeMinWidth(double height) {
        return snappedLeftInset() + Math.max(find.minWidth(-1), show.prefWidth(-1)) + snappedRightInset();
    }

    @Override
    protected double computePrefWidth(double height) {
        return snappedLeftInset() + find.prefWidth(-1) + GAP + show.prefWidth(-1) + snappedRightInset();
    }

    @Override
    protected double computePrefHeight(double width) {
        double rows = width < 0 || oneRow(width) ? Math.max(find.prefHeight(-1), show.prefHeight(-1))
                : find.prefHeight(-1) + ROW_GAP + show.prefHeight(-1);
        return snappedTopInset() + rows + snappedBottomInset();
    }

    @Override
    protected double computeMinHeight(double width) {
        return computePrefHeight(width);
    }

    @Override
    public javafx.geometry.Orientation getContentBias() {
        return javafx.geometry.Orientation.HORIZONTAL; // its height depends on its width (one row or two)
    }

    /** "Load older" while a page is loading or none is left. */
    void olderState(boolean loading, boolean exhausted) {
        olderButton.setDisable(loading || exhausted);
        olderButton.setText(exhausted ? "No older lines" : "Load older");
    }

    private static Button button(String text, String id, String tip, Runnable action) {
        Button b = new Button(text);
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        b.setOnAction(e -> action.run());
        return b;
    }

    private static ToggleButton toggle(String text, String id, BooleanProperty prop, String tip) {
        ToggleButton b = new ToggleButton(text);
        b.setId(id);
        b.selectedProperty().bindBidirectional(prop);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    /** "↓ 37 new lines" over the list, while lines arrive that the user is not looking at. */
    static Button newLinesBadge(IntegerProperty newLines, BooleanProperty follow, BooleanProperty paused, Runnable onClick) {
        Button badge = new Button();
        badge.setId("log-new-lines");
        badge.getStyleClass().add("new-lines-badge");
        badge.textProperty().bind(Bindings.createStringBinding(() ->
                "↓ " + Plural.of(newLines.get(), "new line"), newLines));
        badge.visibleProperty().bind(newLines.greaterThan(0).and(follow.not().or(paused)));
        badge.managedProperty().bind(badge.visibleProperty());
        badge.setOnAction(e -> onClick.run());
        return badge;
    }
}
