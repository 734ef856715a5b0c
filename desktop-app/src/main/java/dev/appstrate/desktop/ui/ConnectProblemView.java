package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.ConnectProblem;
import dev.appstrate.desktop.settings.DesktopSettings;
import java.util.function.Consumer;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/**
 * What the window shows when the remote server cannot be used (unreachable, not Appstrate, key refused): the reason
 * once, and the server settings right there to fix it — instead of an app whose every page fails.
 */
final class ConnectProblemView {
    private ConnectProblemView() {
    }

    /** {@code connect} gets the settings to try next (saved by the caller); {@code quit} ends the app. */
    static VBox build(ConnectProblem p, DesktopSettings tried, Consumer<DesktopSettings> connect, Runnable quit) {
        Label title = new Label(p.title());
        title.setId("connect-title");
        title.getStyleClass().add("page-title");
        Label detail = new Label(p.detail());
        detail.setId("connect-detail");
        detail.setWrapText(true);
        detail.getStyleClass().add("message-error");
        Label fix = new Label(p.fix());
        fix.setWrapText(true);
        fix.getStyleClass().add("muted");
        TextField url = new TextField(tried.remoteUrl());
        url.setId("connect-url");
        url.setPrefColumnCount(36);
        PasswordField key = new PasswordField();
        key.setId("connect-key");
        key.setText(tried.remoteApiKey());
        key.setPromptText("ask_… API key");
        GridPane form = new GridPane();
        form.setHgap(10);
        form.setVgap(8);
        form.addRow(0, new Label("Server URL"), url);
        form.addRow(1, new Label("API key"), key);
        Button retry = new Button("Connect");
        retry.setId("connect-retry");
        retry.setDefaultButton(true);
        retry.setOnAction(e -> connect.accept(tried.withRemote(DesktopSettings.Mode.REMOTE, url.getText().trim(), key.getText().trim())));
        Button embedded = new Button("Use the embedded server");
        embedded.setId("connect-embedded");
        embedded.setOnAction(e -> connect.accept(tried.withRemote(DesktopSettings.Mode.EMBEDDED, url.getText().trim(), key.getText().trim())));
        Button quitButton = new Button("Quit");
        quitButton.setId("connect-quit");
        quitButton.setOnAction(e -> quit.run());
        HBox actions = new HBox(8, retry, embedded, quitButton);
        VBox box = new VBox(14, title, detail, fix, form, actions);
        box.setId("connect-problem");
        box.setMaxWidth(640);
        box.setAlignment(Pos.CENTER_LEFT);
        VBox outer = new VBox(box);
        outer.setAlignment(Pos.CENTER);
        outer.setStyle("-fx-padding: 32;");
        if (p.kind() == ConnectProblem.Kind.INVALID_KEY) {
            javafx.application.Platform.runLater(key::requestFocus);
        }
        return outer;
    }
}
