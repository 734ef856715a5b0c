package dev.appstrate.desktop.ui.secrets;

import dev.appstrate.desktop.ui.DialogFit;
import java.util.function.Consumer;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.layout.VBox;
import javafx.stage.Window;

/** Registers a local integration from its manifest (JSON), so its credentials can be connected. */
final class IntegrationDialog {
    static final ButtonType REGISTER = new ButtonType("Register", ButtonBar.ButtonData.OK_DONE);
    static final String EXAMPLE = """
            {
              "name": "@my-org/crm",
              "version": "1.0.0",
              "type": "integration",
              "display_name": "My CRM",
              "auths": {
                "primary": {
                  "type": "api_key",
                  "authorized_uris": ["https://api.example.com/**"],
                  "delivery": {"http": {"in": "header", "name": "Authorization", "prefix": "Bearer ",
                                        "value": "{$credential.api_key}"}}
                }
              }
            }""";

    private final Dialog<ButtonType> dialog = new Dialog<>();

    IntegrationDialog(Window owner, SecretsViewModel vm, Consumer<SecretsViewModel.IntegrationItem> registered) {
        DialogFit.apply(dialog, owner);
        dialog.setTitle("Register an integration");
        dialog.setHeaderText("Paste the integration's manifest (an AFPS integration manifest.json)");
        dialog.getDialogPane().setId("integration-dialog");
        dialog.getDialogPane().getButtonTypes().setAll(REGISTER, ButtonType.CANCEL);
        // the example is a prompt, not text: a Return right after opening must not register a sample integration
        TextArea manifest = new TextArea();
        manifest.setPromptText("Paste the manifest.json here, or start from the example above");
        manifest.setId("integration-manifest");
        manifest.getStyleClass().add("mono");
        manifest.setPrefRowCount(16);
        manifest.setPrefColumnCount(70);
        manifest.setMinHeight(160); // several lines, even in a small window
        VBox.setVgrow(manifest, javafx.scene.layout.Priority.ALWAYS);
        Label error = new Label();
        error.setId("integration-error");
        error.getStyleClass().add("message-error");
        error.setWrapText(true);
        error.setMaxWidth(560);
        Hyperlink example = new Hyperlink("Start from an example");
        example.setId("integration-example");
        example.setOnAction(e -> {
            manifest.setText(EXAMPLE);
            // on to editing it: the focus stayed on the link, where Return did nothing visible
            manifest.requestFocus();
            manifest.positionCaret(0);
        });
        dialog.getDialogPane().setContent(new VBox(8, example, manifest, error));
        // opens ready to paste, as the schedule dialog does (focus was on Cancel)
        dialog.setOnShown(e -> javafx.application.Platform.runLater(manifest::requestFocus));
        Button register = (Button) dialog.getDialogPane().lookupButton(REGISTER);
        register.setId("integration-register");
        register.disableProperty().bind(Bindings.createBooleanBinding(() -> manifest.getText().isBlank(), manifest.textProperty()));
        register.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume(); // stays open until the server accepts, listing what it rejects
            error.setText("");
            vm.registerIntegration(manifest.getText(), id -> {
                dialog.close();
                registered.accept(id);
            }, error::setText);
        });
    }

    void show() {
        dialog.show();
    }
}
