package dev.appstrate.desktop.ui.logs;

import dev.appstrate.desktop.ui.Tasks;
import javafx.animation.PauseTransition;
import javafx.beans.property.BooleanProperty;
import javafx.css.PseudoClass;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.input.KeyEvent;
import javafx.util.Duration;

/** The live log's search: the field (debounced), the match label, counting off the FX thread, moving between matches. */
final class LogSearchControl {
    private static final PseudoClass NO_MATCH = PseudoClass.getPseudoClass("no-match");

    private final LogWindowModel model;
    private final ListView<LogLine> list;
    private final BooleanProperty regex;
    private final Runnable sync;
    private final TextField field = new TextField();
    private final Label label = new Label();
    private final PauseTransition debounce = new PauseTransition(Duration.millis(150));

    /** {@code sync} mirrors the model into the view's properties after a change. */
    LogSearchControl(LogWindowModel model, ListView<LogLine> list, BooleanProperty regex, Runnable sync) {
        this.model = model;
        this.list = list;
        this.regex = regex;
        this.sync = sync;
        field.setId("log-search");
        field.setPromptText("Search (Ctrl+F)");
        field.getStyleClass().add("search-field");
        field.setPrefColumnCount(18);
        debounce.setOnFinished(e -> apply());
        field.textProperty().addListener((obs, o, n) -> debounce.playFromStart());
        field.setOnAction(e -> {
            debounce.stop();
            if (!model.matches().search().query().equals(field.getText())) {
                apply();
            }
            jump(+1);
        });
        label.setId("log-matches");
        label.setMinWidth(70);
        regex.addListener((obs, o, n) -> apply());
    }

    TextField field() {
        return field;
    }

    Label label() {
        return label;
    }

    /** Sets the search text immediately (no debounce). */
    void search(String text) {
        field.setText(text);
        debounce.stop();
        apply();
    }

    private void apply() {
        LogSearch s = LogSearch.of(field.getText(), regex.get());
        field.pseudoClassStateChanged(NO_MATCH, s.error() != null);
        field.setTooltip(s.error() == null ? null : new Tooltip("Invalid regular expression: " + s.error()));
        model.setSearch(s);
        sync.run();
        recount();
        list.refresh();
    }

    /** Counts matches over a snapshot off the FX thread; lines added meanwhile are counted as they come. */
    void recount() {
        LogMatches matches = model.matches();
        if (!matches.active()) {
            showLabel();
            return;
        }
        LogMatches.Recount recount = matches.recount(model.shown());
        label.setText("…");
        Tasks.create(recount::count)
                .onSuccess(count -> {
                    if (recount.apply(count)) {
                        sync.run();
                        showLabel();
                    }
                })
                .start();
    }

    void showLabel() {
        label.setText(model.matchLabel());
    }

    /** Selects and reveals the next ({@code +1}) or previous ({@code -1}) match. */
    void jump(int direction) {
        int w = model.jumpToMatch(direction);
        if (w >= 0) {
            list.getSelectionModel().clearAndSelect(w);
            list.scrollTo(Math.max(0, w - 3));
            list.refresh();
        }
        sync.run();
        showLabel();
    }

    /** Ctrl+F, Ctrl+C on the list, F3 / Shift+F3, Shift+Enter in the field, Escape clears the search. */
    void onKey(KeyEvent e, Runnable copy) {
        if (new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN).match(e)) {
            field.requestFocus();
            field.selectAll();
            e.consume();
        } else if (new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN).match(e) && list.isFocused()) {
            copy.run();
            e.consume();
        } else if (e.getCode() == KeyCode.F3) {
            jump(e.isShiftDown() ? -1 : +1);
            e.consume();
        } else if (e.getCode() == KeyCode.ENTER && e.isShiftDown() && field.isFocused()) {
            jump(-1);
            e.consume();
        } else if (e.getCode() == KeyCode.ESCAPE && field.isFocused()) {
            search("");
            list.requestFocus();
            e.consume();
        }
    }
}
