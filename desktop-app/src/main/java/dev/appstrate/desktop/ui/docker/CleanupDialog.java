package dev.appstrate.desktop.ui.docker;

import java.util.List;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
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
        list.getCheckModel().checkAll();
        dialog.initOwner(owner);
        dialog.setTitle("Docker cleanup");
        dialog.setHeaderText(header);
        dialog.getDialogPane().setId("cleanup-dialog");
        dialog.getDialogPane().getButtonTypes().setAll(REMOVE, ButtonType.CANCEL);
        Label note = new Label(force
                ? "Some of these belong to a run that is still active: removing them stops that run."
                : "Exactly these will be removed. Uncheck any you want to keep.");
        note.setWrapText(true);
        note.getStyleClass().add(force ? "message-error" : "muted");
        dialog.getDialogPane().setContent(new VBox(8, note, list));
        Button remove = (Button) dialog.getDialogPane().lookupButton(REMOVE);
        remove.setId("cleanup-remove");
        javafx.beans.binding.IntegerBinding checked = Bindings.size(list.getCheckModel().getCheckedItems());
        remove.textProperty().bind(Bindings.createStringBinding(() -> "Remove " + checked.get(), checked));
        remove.disableProperty().bind(checked.isEqualTo(0));
        dialog.setResultConverter(b -> b);
    }

    /** The rows and their check state (tests uncheck rows here, as a click would). */
    public CheckListView<ResourceRow> list() {
        return list;
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
