package dev.appstrate.desktop.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import javafx.geometry.Rectangle2D;
import javafx.scene.Parent;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.util.WaitForAsyncUtils;

/**
 * What a user sees of a dialog under a window manager: its window is showing, owned by the main window,
 * resizable, entirely on the screen and at least as large as its content wants. Under Xvfb + openbox
 * (the real-window profile) these are real window-manager geometries; under Monocle, Monocle's.
 */
final class WindowChecks {
    private WindowChecks() {
    }

    /** The dialog pane a dialog window shows. */
    static javafx.scene.control.DialogPane pane(Stage dialog) {
        return (javafx.scene.control.DialogPane) dialog.getScene().lookup(".dialog-pane");
    }

    /** The showing window whose content has this id (a dialog pane's id), waiting for it to appear. */
    static Stage windowWithRoot(String rootId) throws Exception {
        try {
            UiTesting.waitUntil(() -> find(rootId) != null);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("no window shows #" + rootId + "; windows: " + WaitForAsyncUtils.asyncFx(() ->
                    Window.getWindows().stream().map(w -> (w instanceof Stage s ? s.getTitle() : "?") + " showing=" + w.isShowing()
                            + " root=" + (w.getScene() == null ? null : w.getScene().getRoot()) + " at " + describe(w)).toList()).get(), e);
        }
        return find(rootId);
    }

    private static Stage find(String rootId) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            for (Window w : List.copyOf(Window.getWindows())) {
                // a dialog's pane may be wrapped (ControlsFX validation puts a decoration pane at the root)
                if (w.isShowing() && w instanceof Stage s && w.getScene() != null && w.getScene().lookup("#" + rootId) != null) {
                    return s;
                }
            }
            return null;
        }).get();
    }

    /**
     * Escape, as a user leaves a dialog, once the dialog's window has the keyboard: a window manager gives a new
     * window the focus asynchronously, and a key typed before then goes to the main window.
     */
    static void escape(org.testfx.api.FxRobot robot, Stage dialog) throws Exception {
        robot.interact(dialog::requestFocus);
        UiTesting.waitUntil(dialog::isFocused);
        robot.type(javafx.scene.input.KeyCode.ESCAPE);
        UiTesting.waitUntil(() -> !dialog.isShowing());
    }

    /** Waits until {@code dialog} fits (window managers place and size asynchronously), then asserts each property. */
    static void assertFits(Stage dialog, Window owner) throws Exception {
        try {
            UiTesting.waitUntil(() -> WaitForAsyncUtils.asyncFx(() -> problems(dialog, owner).isEmpty()).get());
        } catch (java.util.concurrent.TimeoutException e) {
            // fall through: the assertion below names what is wrong
        }
        String problems = WaitForAsyncUtils.asyncFx(() -> String.join("; ", problems(dialog, owner))).get();
        assertEquals("", problems, "dialog " + dialog.getTitle() + " at " + describe(dialog));
    }

    /**
     * What {@code problems} still finds once it finds nothing, or after 30 s. A page's data and its layout arrive
     * asynchronously (a real window's pulses come on their own clock): a check made once can catch a label between its
     * new text and the layout that shows it whole, or a table before its columns are fitted.
     */
    static List<String> settled(java.util.concurrent.Callable<List<String>> problems) throws Exception {
        try {
            UiTesting.waitUntil(() -> problems.call().isEmpty());
        } catch (java.util.concurrent.TimeoutException e) {
            // the caller's assertion names what is left
        }
        return problems.call();
    }

    static String describe(Window w) {
        return "(" + (int) w.getX() + "," + (int) w.getY() + ") " + (int) w.getWidth() + "×" + (int) w.getHeight()
                + (w.getScene() == null ? "" : " scene " + (int) w.getScene().getWidth() + "×" + (int) w.getScene().getHeight());
    }

    /** Every way {@code dialog} is not what a user expects; empty when it fits. */
    static List<String> problems(Stage dialog, Window owner) {
        List<String> out = new java.util.ArrayList<>();
        if (!dialog.isShowing()) {
            out.add("not showing");
            return out;
        }
        if (dialog.getOwner() != owner) {
            out.add("not owned by the main window");
        }
        if (!dialog.isResizable()) {
            out.add("not resizable");
        }
        Rectangle2D screen = DialogFit.screenOf(dialog);
        if (dialog.getX() < screen.getMinX() - 0.5 || dialog.getY() < screen.getMinY() - 0.5
                || dialog.getX() + dialog.getWidth() > screen.getMaxX() + 0.5
                || dialog.getY() + dialog.getHeight() > screen.getMaxY() + 0.5) {
            out.add("not entirely on the screen " + screen);
        }
        Parent root = dialog.getScene().getRoot();
        double prefW = root.prefWidth(-1);
        double prefH = root.prefHeight(-1);
        if (dialog.getScene().getWidth() + 1 < Math.min(prefW, screen.getWidth())) {
            out.add("narrower than its content (" + (int) prefW + ")");
        }
        if (dialog.getScene().getHeight() + 1 < Math.min(prefH, screen.getHeight() - 60)) {
            out.add("lower than its content (" + (int) prefH + ")");
        }
        return out;
    }

    static void assertOnScreen(Window w) throws Exception {
        String where = WaitForAsyncUtils.asyncFx(() -> describe(w)).get();
        boolean inside = WaitForAsyncUtils.asyncFx(() -> {
            Rectangle2D s = DialogFit.screenOf(w);
            return w.getX() >= s.getMinX() - 0.5 && w.getY() >= s.getMinY() - 0.5
                    && w.getX() + w.getWidth() <= s.getMaxX() + 0.5 && w.getY() + w.getHeight() <= s.getMaxY() + 0.5;
        }).get();
        assertTrue(inside, "window at " + where);
    }

    /** Where a field's prompt text is cut at the field's width (what the user would see end in mid-word); empty when whole. */
    static List<String> cutPrompts(javafx.scene.control.TextInputControl... fields) {
        List<String> out = new java.util.ArrayList<>();
        for (javafx.scene.control.TextInputControl f : fields) {
            String prompt = f.getPromptText();
            if (prompt == null || prompt.isEmpty()) {
                continue;
            }
            javafx.scene.text.Text t = new javafx.scene.text.Text(prompt);
            t.setFont(f.getFont());
            double room = f.getWidth() - f.snappedLeftInset() - f.snappedRightInset();
            if (t.getLayoutBounds().getWidth() > room) {
                out.add("#" + f.getId() + " \"" + prompt + "\" needs " + (int) t.getLayoutBounds().getWidth() + " px, has " + (int) room);
            }
        }
        return out;
    }

    /** Drop-down lists whose shown value is cut at their width ("" or "ca…" for "cancelled"); empty when whole. */
    static List<String> cutComboValues(javafx.scene.control.ComboBox<?>... boxes) {
        List<String> out = new java.util.ArrayList<>();
        for (javafx.scene.control.ComboBox<?> box : boxes) {
            if (box.getSkin() instanceof javafx.scene.control.skin.ComboBoxListViewSkin<?> skin
                    && skin.getDisplayNode() instanceof javafx.scene.control.Labeled shown && shown.getText() != null) {
                boolean whole = shown.getChildrenUnmodifiable().stream().anyMatch(c -> c instanceof javafx.scene.text.Text t
                        && c.isVisible() && shown.getText().equals(t.getText()));
                if (!whole) {
                    out.add("#" + box.getId() + " \"" + shown.getText() + "\" is cut");
                }
            }
        }
        return out;
    }

    /**
     * Shown tables whose columns are wider than the table: they scroll sideways and the last headers are cut at the
     * right edge ("Secret rotat"); for a table whose columns fill its width there is no scroll bar, so those columns
     * cannot be reached at all.
     */
    static List<String> tablesWiderThanTheirPlace(Parent root) {
        List<String> out = new java.util.ArrayList<>();
        for (javafx.scene.Node n : root.lookupAll(".table-view")) {
            if (!(n instanceof javafx.scene.control.TableView<?> t) || !shown(t) || t.getWidth() <= 0) {
                continue;
            }
            double columns = t.getVisibleLeafColumns().stream().mapToDouble(javafx.scene.control.TableColumnBase::getWidth).sum();
            javafx.scene.Node flow = t.lookup(".virtual-flow");
            double vbar = t.lookupAll(".scroll-bar").stream().filter(b -> b instanceof javafx.scene.control.ScrollBar s
                    && s.getOrientation() == javafx.geometry.Orientation.VERTICAL && s.isVisible() && s.getParent() == flow)
                    .mapToDouble(b -> b.getLayoutBounds().getWidth()).sum();
            double place = t.getWidth() - t.snappedLeftInset() - t.snappedRightInset() - vbar;
            if (columns > place + 1) {
                out.add("#" + t.getId() + " columns " + (int) columns + " px in " + (int) place + " px");
            }
        }
        return out;
    }

    private static boolean shown(javafx.scene.Node n) {
        for (javafx.scene.Node p = n; p != null; p = p.getParent()) {
            if (!p.isVisible()) {
                return false;
            }
        }
        return true;
    }

    /**
     * Blank bands in a page's vertical layouts: a node that shows nothing (hidden, or a label with no text) but still
     * takes its room, and a grid row with nothing shown that still gets its gap. Each reads as an empty line.
     */
    static List<String> blankBands(Parent root) {
        List<String> out = new java.util.ArrayList<>();
        collectBlank(root, out);
        return out;
    }

    private static void collectBlank(javafx.scene.Node n, List<String> out) {
        if (!n.isVisible()) {
            return;
        }
        if (n instanceof javafx.scene.layout.VBox || n instanceof javafx.scene.layout.GridPane) {
            for (javafx.scene.Node c : ((Parent) n).getChildrenUnmodifiable()) {
                boolean empty = !c.isVisible() || c instanceof javafx.scene.control.Labeled l && l.getGraphic() == null
                        && (l.getText() == null || l.getText().isEmpty());
                if (c.isManaged() && empty && c.getLayoutBounds().getHeight() > 0) {
                    out.add(name(c) + " shows nothing in " + (int) c.getLayoutBounds().getHeight() + " px of " + name(n));
                }
            }
        }
        if (n instanceof javafx.scene.layout.GridPane g && g.getVgap() > 0) {
            java.util.SortedSet<Integer> rows = new java.util.TreeSet<>();
            for (javafx.scene.Node c : g.getChildren()) {
                if (c.isManaged()) {
                    rows.add(javafx.scene.layout.GridPane.getRowIndex(c) == null ? 0 : javafx.scene.layout.GridPane.getRowIndex(c));
                }
            }
            for (int r = rows.isEmpty() ? 0 : rows.first(); !rows.isEmpty() && r < rows.last(); r++) {
                if (!rows.contains(r)) {
                    out.add(name(g) + " row " + r + " is empty but keeps its " + (int) g.getVgap() + " px gap");
                }
            }
        }
        if (n instanceof javafx.scene.control.Cell<?>) {
            return;
        }
        if (n instanceof Parent p) {
            for (javafx.scene.Node c : p.getChildrenUnmodifiable()) {
                collectBlank(c, out);
            }
        }
    }

    /** Shown tables and lists whose rows below the last item are painted (striped) as if they held records. */
    static List<String> paintedEmptyRows(Parent root) {
        List<String> out = new java.util.ArrayList<>();
        for (javafx.scene.Node n : root.lookupAll(".table-row-cell, .list-cell")) {
            if (n instanceof javafx.scene.control.IndexedCell<?> cell && cell.isEmpty() && shown(cell) && cell.getHeight() > 0
                    && cell.getBackground() != null && cell.getBackground().getFills().stream()
                    .anyMatch(f -> !(f.getFill() instanceof javafx.scene.paint.Color c && c.getOpacity() == 0))) {
                javafx.scene.Node owner = cell;
                while (owner != null && !(owner instanceof javafx.scene.control.TableView<?> || owner instanceof javafx.scene.control.ListView<?>)) {
                    owner = owner.getParent();
                }
                String where = owner == null ? "?" : name(owner);
                if (!out.contains(where)) {
                    out.add(where + " paints its empty rows");
                }
            }
        }
        return out;
    }

    private static String name(javafx.scene.Node n) {
        return n.getId() != null ? "#" + n.getId() : n.getClass().getSimpleName()
                + (n.getParent() != null && n.getParent().getId() != null ? " in #" + n.getParent().getId() : "");
    }

    /** Labels, buttons and column headers under {@code root} that show their text cut ("Sta…"); cells aside. */
    static List<String> cutLabels(Parent root) {
        List<String> out = new java.util.ArrayList<>();
        collectCut(root, out);
        return out;
    }

    private static void collectCut(javafx.scene.Node n, List<String> out) {
        if (!n.isVisible() || n instanceof javafx.scene.control.Cell<?>) {
            return;
        }
        if (n instanceof javafx.scene.control.Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            for (javafx.scene.Node c : l.getChildrenUnmodifiable()) {
                // a mnemonic's underscore ("_Go") is not shown: that is not a cut
                if (c instanceof javafx.scene.text.Text t && c.isVisible() && !l.getText().equals(t.getText())
                        && !(l.isMnemonicParsing() && l.getText().replaceFirst("_", "").equals(t.getText()))) {
                    out.add((l.getId() == null ? l.getClass().getSimpleName() : "#" + l.getId()) + " \"" + l.getText()
                            + "\" shows \"" + t.getText() + "\"");
                }
            }
        }
        if (n instanceof Parent p) {
            for (javafx.scene.Node c : p.getChildrenUnmodifiable()) {
                collectCut(c, out);
            }
        }
    }
}
