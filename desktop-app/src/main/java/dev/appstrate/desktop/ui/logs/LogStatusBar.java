package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Plural;
import java.util.Locale;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;

/** The line under the live log ("1,234 lines shown · 1,234 kept · live") and the empty list's placeholder text. */
final class LogStatusBar extends HBox {
    private final Label status = new Label();
    private final Label empty = new Label("No log lines yet");

    LogStatusBar() {
        status.getStyleClass().add("log-status");
        status.setId("log-status");
        getChildren().add(status);
        setPadding(new Insets(3, 6, 3, 6));
        empty.setId("log-empty");
        empty.getStyleClass().add("muted");
    }

    /** The list's placeholder. */
    Label emptyLabel() {
        return empty;
    }

    /** Labels change only when their text does (a text change costs a layout pass). */
    void show(LogWindowModel model, LogFeed feed) {
        String state = feed.status();
        long dropped = feed.dropped();
        int shown = model.shown().size();
        int kept = model.kept().size();
        String text = String.format("%,d %s shown · %,d kept", shown, shown == 1 ? "line" : "lines", kept)
                + (model.paused() ? " · paused" : "")
                + (dropped > 0 ? String.format(" · %,d dropped (view behind)", dropped) : "")
                + (state.isEmpty() ? "" : " · " + state);
        if (!text.equals(status.getText())) {
            status.setText(text);
        }
        String none = kept == 0 ? "No log lines yet"
                : "No line at level " + model.minLevel().name().toLowerCase(Locale.ROOT) + " or above ("
                        + Plural.of(kept, "line") + " kept at lower levels)";
        if (!none.equals(empty.getText())) {
            empty.setText(none);
        }
    }
}
