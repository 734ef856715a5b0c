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
import javafx.scene.layout.FlowPane;

/** The live log's toolbar: follow, pause, level, search with its match navigation, time, wrap, copy, export, older. */
final class LogToolbar extends FlowPane {
    private final Button olderButton = new Button("Load older");

    LogToolbar(LiveLogView view) {
        super(6, 4);
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
        // a flow so that no control is cut off in a narrow window
        getChildren().addAll(followBtn, pauseBtn, level, view.searchField(), regexBtn, prev, next, view.matchLabel(),
                timeBtn, wrapBtn, copy, export, olderButton);
        setAlignment(Pos.CENTER_LEFT);
        setPadding(new Insets(4, 6, 4, 6));
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
