package dev.appstrate.desktop.ui.agents;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.function.Consumer;
import dev.appstrate.desktop.ui.DialogFit;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.ScrollPane;
import javafx.stage.Window;

/** "Run agent": the input form generated from the agent's schema; Run stays disabled while the form is invalid. */
public final class RunDialog {
    public static final ButtonType RUN = new ButtonType("Run", ButtonBar.ButtonData.OK_DONE);
    private final Dialog<ObjectNode> dialog = new Dialog<>();
    private final InputForm form;

    /** {@code inputSpec} stays JSON: the agent author's free-form input schema, read by {@link InputForm}. */
    public RunDialog(Window owner, String agentName, JsonNode inputSpec) {
        form = new InputForm(inputSpec);
        DialogFit.apply(dialog, owner);
        dialog.setTitle("Run " + agentName);
        dialog.setHeaderText("Run " + agentName);
        dialog.getDialogPane().getButtonTypes().setAll(RUN, ButtonType.CANCEL);
        ScrollPane sp = new ScrollPane(form.view());
        sp.setFitToWidth(true);
        // the form's own height up to 420 px, then it scrolls (a guess of 48 px a field left a blank band under one or two)
        javafx.scene.Node formView = form.view();
        sp.prefViewportHeightProperty().bind(javafx.beans.binding.Bindings.createDoubleBinding(
                () -> Math.min(420, Math.ceil(formView.prefHeight(-1))), formView.layoutBoundsProperty()));
        sp.setPrefViewportWidth(Math.max(520, form.view().prefWidth(-1)));
        sp.setMinViewportHeight(Math.min(160, sp.getPrefViewportHeight()));
        dialog.getDialogPane().setContent(sp);
        // the dialog only grows by itself, so a first fit measured before CSS (taller) stayed: take the form's height once it is known
        Runnable toForm = () -> javafx.application.Platform.runLater(() -> {
            if (dialog.isShowing()) {
                DialogFit.refit((javafx.stage.Stage) dialog.getDialogPane().getScene().getWindow());
            }
        });
        dialog.setOnShown(e -> toForm.run());
        sp.prefViewportHeightProperty().addListener((o, was, now) -> toForm.run());
        dialog.getDialogPane().setId("run-dialog");
        Button run = (Button) dialog.getDialogPane().lookupButton(RUN);
        run.setId("run-dialog-run");
        run.disableProperty().bind(javafx.beans.binding.Bindings.createBooleanBinding(
                () -> !form.valid(), form.validation().invalidProperty()));
        dialog.setResultConverter(b -> b == RUN ? form.values() : null);
    }

    public InputForm form() {
        return form;
    }

    /** Shows the dialog without blocking; {@code onRun} gets the input when the user presses Run. */
    public void show(Consumer<ObjectNode> onRun) {
        dialog.setOnHidden(e -> {
            ObjectNode input = dialog.getResult();
            if (input != null) {
                onRun.accept(input);
            }
        });
        dialog.show();
    }
}
