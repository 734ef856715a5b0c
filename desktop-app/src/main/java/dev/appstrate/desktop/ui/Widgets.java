package dev.appstrate.desktop.ui;

import javafx.beans.value.ObservableValue;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;

/** Small building blocks shared by the code-first pages. */
public final class Widgets {
    private Widgets() {
    }

    /** A page: a title row (title + actions on the right) and a vertical body. */
    public static VBox page(String title, Node... actions) {
        Label t = new Label(title);
        t.getStyleClass().add("page-title");
        Region grow = new Region();
        HBox.setHgrow(grow, Priority.ALWAYS);
        HBox head = new HBox(8, t, grow);
        head.getChildren().addAll(actions);
        head.setAlignment(Pos.CENTER_LEFT);
        VBox v = new VBox(head);
        v.getStyleClass().add("page");
        return v;
    }

    public static Label sectionTitle(String s) {
        Label l = new Label(s);
        l.setStyle("-fx-font-weight: bold; -fx-font-size: 14px;");
        return l;
    }

    /** A coloured status chip whose style follows the text (status-success, status-failed, …). */
    public static Label chip(ObservableValue<String> text) {
        Label l = new Label();
        l.getStyleClass().add("chip");
        text.addListener((obs, o, n) -> styleChip(l, n));
        l.textProperty().bind(text);
        styleChip(l, text.getValue());
        return l;
    }

    public static Label chip(String text) {
        Label l = new Label(text);
        l.getStyleClass().add("chip");
        styleChip(l, text);
        return l;
    }

    private static void styleChip(Label l, String status) {
        l.getStyleClass().removeIf(c -> c.startsWith("status-"));
        if (status != null && !status.isBlank()) {
            l.getStyleClass().add("status-" + status.trim().toLowerCase());
        }
    }

    /** A table's empty state: one muted, wrapping sentence saying what to do, in the table itself. */
    public static Label emptyState(ObservableValue<String> text, String id) {
        Label l = new Label();
        l.textProperty().bind(text);
        l.setId(id);
        l.setWrapText(true);
        l.getStyleClass().add("muted");
        return l;
    }

    public static Label message(ObservableValue<String> text, String id) {
        Label l = new Label();
        l.textProperty().bind(text);
        l.setId(id);
        l.setWrapText(true);
        styleMessage(l, text.getValue());
        shownWhenSaying(l);
        text.addListener((o, was, now) -> {
            styleMessage(l, now);
            // a result shown at the page's top while the user is down at the form ("Add and test") is scrolled to, in full
            if (l.getStyleClass().contains("message-error") && now != null && !now.isEmpty()) {
                Reveal.later(l);
            }
        });
        return l;
    }

    /**
     * {@code label} shown, and taking room, only while it has something to say: an empty label left managed is a blank
     * line in its page (hidden is not enough, a hidden node keeps its room).
     */
    public static <L extends javafx.scene.control.Labeled> L shownWhenSaying(L label) {
        javafx.beans.binding.BooleanBinding saying = label.textProperty().isNotEmpty();
        label.visibleProperty().bind(saying);
        label.managedProperty().bind(saying);
        return label;
    }

    /**
     * Gives {@code grid}'s rows {@code gap} between them only where a row shows something: GridPane's own vgap also
     * separates rows whose nodes are all unmanaged, so each hidden optional row left a blank band. Call once the rows are in.
     */
    public static void rowGaps(javafx.scene.layout.GridPane grid, double gap) {
        grid.setVgap(0);
        for (Node n : grid.getChildren()) {
            Integer row = javafx.scene.layout.GridPane.getRowIndex(n);
            if (row != null && row > 0) {
                javafx.geometry.Insets m = javafx.scene.layout.GridPane.getMargin(n);
                javafx.scene.layout.GridPane.setMargin(n, m == null ? new javafx.geometry.Insets(gap, 0, 0, 0)
                        : new javafx.geometry.Insets(m.getTop() + gap, m.getRight(), m.getBottom(), m.getLeft()));
            }
        }
    }

    /** An empty state ("No schedules yet: …") reads as a hint, not as an error in red. */
    private static void styleMessage(Label l, String text) {
        boolean hint = text != null && text.startsWith("No ") && text.contains(" yet");
        l.getStyleClass().removeAll("message-error", "muted");
        l.getStyleClass().add(hint ? "muted" : "message-error");
    }

    public static Region grow() {
        Region r = new Region();
        HBox.setHgrow(r, Priority.ALWAYS);
        return r;
    }
}
