package dev.appstrate.desktop.ui;

import javafx.animation.PauseTransition;
import javafx.geometry.Pos;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.util.Duration;

/**
 * The window's notifications: a strip under the page, across its width. It takes its own room rather than lying over
 * the page, so it never covers a field being filled in (it did cover the Models form's right edge); showing it only
 * shortens the page from below, so the title and header buttons stay where they were. Long messages wrap and stay
 * readable in full. Information hides itself after a time that grows with its length; errors stay until closed (×),
 * replaced by the next message or the user leaves the page they were about.
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
        setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        managedProperty().bind(visibleProperty()); // hidden, it takes no room
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
