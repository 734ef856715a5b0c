package dev.appstrate.desktop.ui;

import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.function.Supplier;
import javafx.scene.Node;
import javafx.scene.control.Control;
import javafx.scene.control.IndexedCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.input.MouseButton;
import javafx.scene.input.MouseEvent;

/** Every list page opens its selected row one way: Enter or a double-click on a row does what its Edit / Open button does. */
public final class OpenSelected {
    private OpenSelected() {
    }

    public static <T> void on(TableView<T> table, Consumer<T> open) {
        on(table, open, t -> true);
    }

    /** Only rows that {@code opens} accepts open (a fire without a run has nothing to open). */
    public static <T> void on(TableView<T> table, Consumer<T> open, Predicate<T> opens) {
        install(table, table.getSelectionModel()::getSelectedItem, open, opens);
    }

    public static <T> void on(ListView<T> list, Consumer<T> open) {
        install(list, list.getSelectionModel()::getSelectedItem, open, t -> true);
    }

    private static <T> void install(Control control, Supplier<T> selected, Consumer<T> open, Predicate<T> opens) {
        control.addEventHandler(KeyEvent.KEY_PRESSED, e -> {
            T item = selected.get();
            if (e.getCode() == KeyCode.ENTER && !e.isShortcutDown() && !e.isAltDown() && !e.isShiftDown()
                    && item != null && opens.test(item)) {
                e.consume();
                open.accept(item);
            }
        });
        control.addEventHandler(MouseEvent.MOUSE_CLICKED, e -> {
            T item = selected.get();
            if (e.getButton() == MouseButton.PRIMARY && e.getClickCount() == 2 && onFilledRow(e) && item != null && opens.test(item)) {
                e.consume();
                open.accept(item);
            }
        });
    }

    /** A double-click on a header, a scroll bar or the blank below the rows opens nothing. */
    private static boolean onFilledRow(MouseEvent e) {
        for (Node n = e.getPickResult().getIntersectedNode(); n != null; n = n.getParent()) {
            if (n instanceof javafx.scene.control.TableRow<?> || n instanceof javafx.scene.control.ListCell<?>) {
                return !((IndexedCell<?>) n).isEmpty();
            }
        }
        return false;
    }
}
