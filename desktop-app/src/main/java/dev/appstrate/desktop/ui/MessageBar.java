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
 * replaced by the next message or the user leaves the page they were about. Hiding gives the page its room back, which
 * moves what a scrolled page shows: so when the time is up while the pointer is over the page or the strip, the strip
 * waits for the pointer to leave (a click meant for a button landed on the header that slid under it).
 */
final class MessageBar extends HBox {
    private final Label icon = new Label();
    private final Label text = new Label();
    private final PauseTransition autoHide = new PauseTransition();
    /** True while the pointer is over what a hide would move (the page and this strip). */
    private javafx.beans.value.ObservableBooleanValue pointerOver = new javafx.beans.property.SimpleBooleanProperty(false);
    private boolean hideWhenPointerLeaves;

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
        autoHide.setOnFinished(e -> timeUp());
        setMinHeight(javafx.scene.layout.Region.USE_PREF_SIZE);
        managedProperty().bind(visibleProperty()); // hidden, it takes no room
        setVisible(false);
    }

    /** Watches the pointer over the area a hide would move: the page above and this strip. */
    void holdWhilePointerOver(javafx.beans.value.ObservableBooleanValue over) {
        this.pointerOver = over;
        over.addListener((o, was, now) -> {
            if (!now && hideWhenPointerLeaves) {
                hide();
            }
        });
    }

    /** The information's time is up: hide now, or once the pointer leaves, so nothing moves under it. */
    void timeUp() {
        if (pointerOver.get()) {
            hideWhenPointerLeaves = true;
        } else {
            hide();
        }
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
        hideWhenPointerLeaves = false;
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
        hideWhenPointerLeaves = false;
        setVisible(false);
    }

    /** The message shown, or "" when the bar is hidden. */
    String shownText() {
        return isVisible() ? (icon.getText().equals("⚠") ? "⚠ " : "") + text.getText() : "";
    }
}
