package dev.appstrate.desktop.ui.logs;

import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.layout.HBox;

/** One cheap log row: plain text, or a few labels with the search matches highlighted. */
final class LogCell extends ListCell<LogLine> {
    private static final PseudoClass MATCH = PseudoClass.getPseudoClass("match");
    private static final PseudoClass CURRENT = PseudoClass.getPseudoClass("current-match");
    private static final PseudoClass[] LEVELS = {
        PseudoClass.getPseudoClass("level-debug"), PseudoClass.getPseudoClass("level-info"),
        PseudoClass.getPseudoClass("level-warn"), PseudoClass.getPseudoClass("level-error")};

    private final LiveLogView view;

    LogCell(LiveLogView view) {
        this.view = view;
    }

    @Override
    protected void updateItem(LogLine line, boolean empty) {
        super.updateItem(line, empty);
        for (int i = 0; i < LEVELS.length; i++) {
            pseudoClassStateChanged(LEVELS[i], !empty && line != null && line.level().ordinal() == i);
        }
        boolean wrap = view.wrapProperty().get();
        setWrapText(wrap);
        setPrefWidth(wrap ? 0 : USE_COMPUTED_SIZE);
        if (empty || line == null) {
            setText(null);
            setGraphic(null);
            pseudoClassStateChanged(MATCH, false);
            pseudoClassStateChanged(CURRENT, false);
            return;
        }
        String text = line.format(view.timestampsProperty().get());
        LogSearch search = view.model().matches().search();
        boolean match = search.active() && search.matches(line);
        pseudoClassStateChanged(MATCH, match);
        pseudoClassStateChanged(CURRENT, match && line.id() == view.currentMatchId());
        if (!match || wrap) {
            setGraphic(null);
            setText(text);
            return;
        }
        HBox parts = new HBox();
        int pos = 0;
        for (int[] r : search.ranges(text)) {
            if (r[0] > pos) {
                parts.getChildren().add(new Label(text.substring(pos, r[0])));
            }
            Label hit = new Label(text.substring(r[0], r[1]));
            hit.getStyleClass().add("hit");
            parts.getChildren().add(hit);
            pos = r[1];
        }
        if (pos < text.length()) {
            parts.getChildren().add(new Label(text.substring(pos)));
        }
        setText(null);
        setGraphic(parts);
    }
}
