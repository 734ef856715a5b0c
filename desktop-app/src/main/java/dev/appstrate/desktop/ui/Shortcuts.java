package dev.appstrate.desktop.ui;

import java.util.ArrayList;
import java.util.List;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.stage.Window;

/** The keyboard shortcuts, in one list for the F1 sheet and the menu bar's Help. */
final class Shortcuts {
    /** One shortcut: the keys as written on a keyboard, and what it does. */
    record Shortcut(String keys, String does) {
    }

    private Shortcuts() {
    }

    static List<Shortcut> all() {
        List<Shortcut> out = new ArrayList<>();
        PageId[] ids = PageId.values();
        StringBuilder places = new StringBuilder();
        for (int i = 0; i < Math.min(9, ids.length); i++) {
            places.append(i == 0 ? "" : ", ").append(i + 1).append(" ").append(ids[i].title());
        }
        out.add(new Shortcut("Ctrl+1 … Ctrl+9", "Go to a place: " + places));
        out.add(new Shortcut("Ctrl+F", "Search (the log on a run's page, the list on Runs)"));
        out.add(new Shortcut("F3 / Shift+F3", "Next / previous search match in a log"));
        out.add(new Shortcut("Enter", "Open the selected item; confirm a dialog"));
        out.add(new Shortcut("Escape", "Close a dialog; clear a log search"));
        out.add(new Shortcut("Ctrl+R", "Run again with the same input (on a run's page); reload elsewhere"));
        out.add(new Shortcut("F5", "Reload the page"));
        out.add(new Shortcut("Ctrl+C", "Copy the selected log lines"));
        out.add(new Shortcut("F1", "This list"));
        return out;
    }

    /** The shortcuts sheet, owned by the main window. */
    static Alert sheet(Window owner) {
        GridPane g = new GridPane();
        g.setId("shortcuts-sheet");
        g.setHgap(18);
        g.setVgap(6);
        int row = 0;
        for (Shortcut s : all()) {
            Label keys = new Label(s.keys());
            keys.setStyle("-fx-font-weight: bold;");
            keys.setMinWidth(Label.USE_PREF_SIZE);
            Label does = new Label(s.does());
            does.setWrapText(true);
            does.setMaxWidth(460);
            g.addRow(row++, keys, does);
        }
        Alert a = new Alert(Alert.AlertType.INFORMATION, "", ButtonType.CLOSE);
        a.setTitle("Keyboard shortcuts");
        a.setHeaderText("Keyboard shortcuts");
        a.getDialogPane().setContent(g);
        a.setResizable(true);
        if (owner != null) {
            dev.appstrate.desktop.ui.DialogFit.apply(a, owner);
        }
        return a;
    }
}
