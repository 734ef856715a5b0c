package dev.appstrate.desktop.ui;

import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.Duration;

/**
 * The window's notifications: a bar laid over the page's foot, so showing or hiding it never moves the page (a
 * button jumping from under the pointer) and it covers neither the title nor the header buttons; long messages wrap
 * and stay readable in full. Information hides itself after a time that grows with its length;
 * errors stay until closed (×, or the next message).
 */
final class MessageBar extends HBox {
    private final Label icon = new Label();
    private final Label text = new Label();
    private final PauseTransition autoHide = new PauseTransition();

    MessageBar() {
        setId("notifications");
        getStyleClass().add("message-bar");
        setAlignment(Pos.TOP_LEFT);
        setSpacing(10);
        icon.getStyleClass().add("message-bar-icon");
        text.setId("notification-text");
        text.setWrapText(true);
        text.setMaxWidth(Double.MAX_VALUE);
        text.setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        HBox.setHgrow(text, Priority.ALWAYS);
        Button close = new Button("×");
        close.setId("notification-close");
        close.getStyleClass().add("message-bar-close");
        close.setFocusTraversable(false);
        close.setOnAction(e -> hide());
        getChildren().addAll(icon, text, close);
        autoHide.setOnFinished(e -> hide());
        setMaxHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        setMaxWidth(520);
        setVisible(false);
    }

    void info(String message) {
        show(message, "ℹ", false);
        // about a reading speed of 15 characters a second, never under 6 s
        autoHide.setDuration(Duration.seconds(Math.max(6, message.length() / 15.0)));
        autoHide.playFromStart();
    }

    void error(String message) {
        autoHide.stop();
        show(message, "⚠", true);
    }

    private void show(String message, String symbol, boolean error) {
        icon.setText(symbol);
        text.setText(message);
        getStyleClass().removeAll("message-bar-error");
        if (error) {
            getStyleClass().add("message-bar-error");
        }
        setVisible(true);
    }

    void hide() {
        autoHide.stop();
        setVisible(false);
    }

    /** The message shown, or "" when the bar is hidden. */
    String shownText() {
        return isVisible() ? (icon.getText().equals("⚠") ? "⚠ " : "") + text.getText() : "";
    }
}
