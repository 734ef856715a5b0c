package dev.appstrate.desktop.ui.docker;

import java.util.List;
import java.util.function.Consumer;
import dev.appstrate.desktop.ui.DialogFit;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyEvent;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.Window;
import org.controlsfx.control.CheckListView;

/**
 * The cleanup confirmation: the server's dry-run answer, one checked row per resource that would go; the user
 * may uncheck rows, and only the checked ones are removed.
 */
public final class CleanupDialog {
    public static final ButtonType REMOVE = new ButtonType("Remove", ButtonBar.ButtonData.OK_DONE);
    private final Dialog<ButtonType> dialog = new Dialog<>();
    private final CheckListView<ResourceRow> list;

    public CleanupDialog(Window owner, String header, List<ResourceRow> wouldGo, boolean force) {
        list = new CheckListView<>(javafx.collections.FXCollections.observableArrayList(wouldGo));
        list.setId("cleanup-list");
        list.setPrefSize(760, Math.min(420, 40 + 26.0 * wouldGo.size()));
        list.setMinHeight(Math.min(5, Math.max(2, wouldGo.size())) * 26.0 + 6); // rows stay visible however small the window
        VBox.setVgrow(list, Priority.ALWAYS);
        list.getCheckModel().checkAll();
        // the rows' checkboxes take no focus: Tab goes from the list to the buttons, Space toggles the focused row
        list.setCellFactory(lv -> {
            javafx.scene.control.cell.CheckBoxListCell<ResourceRow> cell =
                    new javafx.scene.control.cell.CheckBoxListCell<>(list::getItemBooleanProperty);
            cell.graphicProperty().addListener((o, was, g) -> {
                if (g != null) {
                    g.setFocusTraversable(false);
                }
            });
            return cell;
        });
        DialogFit.apply(dialog, owner);
        dialog.setTitle("Docker cleanup");
        dialog.setHeaderText(header);
        dialog.getDialogPane().setId("cleanup-dialog");
        dialog.getDialogPane().getButtonTypes().setAll(REMOVE, ButtonType.CANCEL);
        Label note = new Label(force
                ? "Some of these are in use: removing a run's resources stops that run; the sidecar pool starts new sidecars."
                : "Exactly these will be removed. Uncheck any you want to keep (Space), then Enter to remove or Escape to cancel.");
        note.setWrapText(true);
        note.getStyleClass().add(force ? "message-error" : "muted");
        dialog.getDialogPane().setContent(new VBox(8, note, list));
        Button remove = (Button) dialog.getDialogPane().lookupButton(REMOVE);
        remove.setId("cleanup-remove");
        javafx.beans.binding.IntegerBinding checked = Bindings.size(list.getCheckModel().getCheckedItems());
        remove.textProperty().bind(Bindings.createStringBinding(() -> "Remove " + checked.get(), checked));
        remove.disableProperty().bind(checked.isEqualTo(0));
        dialog.setResultConverter(b -> b);
        keyboard(remove);
    }

    /** Escape cancels and Enter confirms wherever the focus is (a row's checkbox would take Enter as a toggle); Space toggles a row. */
    private void keyboard(Button remove) {
        dialog.getDialogPane().addEventFilter(KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.ESCAPE) {
                e.consume();
                dialog.setResult(ButtonType.CANCEL);
                dialog.close();
            } else if (e.getCode() == KeyCode.SPACE && list.isFocused()) {
                e.consume(); // Space checks or unchecks the focused row
                ResourceRow row = list.getFocusModel().getFocusedItem();
                if (row != null) {
                    if (list.getCheckModel().isChecked(row)) {
                        list.getCheckModel().clearCheck(row);
                    } else {
                        list.getCheckModel().check(row);
                    }
                }
            } else if (e.getCode() == KeyCode.ENTER && !e.isShortcutDown()) {
                e.consume();
                if (dialog.getDialogPane().getScene().getFocusOwner() == dialog.getDialogPane().lookupButton(ButtonType.CANCEL)) {
                    dialog.setResult(ButtonType.CANCEL);
                    dialog.close();
                } else if (!remove.isDisabled()) {
                    remove.fire();
                }
            }
        });
        // the rows first: Tab then reaches Remove, then Cancel (Linux's button order would put Cancel first)
        if (dialog.getDialogPane().lookup(".button-bar") instanceof ButtonBar bar) {
            bar.setButtonOrder(ButtonBar.BUTTON_ORDER_WINDOWS);
        }
        dialog.setOnShown(e -> {
            list.requestFocus();
            if (!list.getItems().isEmpty()) {
                list.getFocusModel().focus(0);
            }
        });
    }

    /** The rows and their check state (tests uncheck rows here, as a click would). */
    public CheckListView<ResourceRow> list() {
        return list;
    }

    /** The dialog's window content (tests read its buttons and size). */
    public javafx.scene.control.DialogPane pane() {
        return dialog.getDialogPane();
    }

    /** Shows without blocking; {@code confirmed} gets the checked rows when the user presses Remove. */
    public void show(Consumer<List<ResourceRow>> confirmed) {
        dialog.setOnHidden(e -> {
            if (dialog.getResult() == REMOVE) {
                confirmed.accept(List.copyOf(list.getCheckModel().getCheckedItems()));
            }
        });
        dialog.show();
    }
}
