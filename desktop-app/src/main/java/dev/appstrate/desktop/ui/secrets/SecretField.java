package dev.appstrate.desktop.ui.secrets;

import dev.appstrate.desktop.ui.ClipboardGuard;
import javafx.scene.control.Button;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.Tooltip;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;

/**
 * A value being typed that must stay secret: masked by default, revealed while the toggle is on, and copied
 * through a {@link ClipboardGuard}. It only ever holds what the user typed; stored values never come back.
 */
public final class SecretField extends HBox {
    private final PasswordField masked = new PasswordField();
    private final TextField plain = new TextField();
    private final ToggleButton reveal = new ToggleButton("Show");

    public SecretField(String id, String prompt, ClipboardGuard clipboard) {
        super(6);
        setId(id);
        getStyleClass().add("secret-field");
        masked.setId(id + "-input");
        plain.setId(id + "-plain");
        masked.setPromptText(prompt);
        plain.setPromptText(prompt);
        plain.textProperty().bindBidirectional(masked.textProperty());
        plain.visibleProperty().bind(reveal.selectedProperty());
        plain.managedProperty().bind(plain.visibleProperty());
        masked.visibleProperty().bind(reveal.selectedProperty().not());
        masked.managedProperty().bind(masked.visibleProperty());
        HBox.setHgrow(masked, Priority.ALWAYS);
        HBox.setHgrow(plain, Priority.ALWAYS);
        reveal.setId(id + "-reveal");
        reveal.textProperty().bind(javafx.beans.binding.Bindings.when(reveal.selectedProperty()).then("Hide").otherwise("Show"));
        reveal.setTooltip(new Tooltip("Show what you are typing"));
        reveal.setFocusTraversable(false);
        Button copy = new Button("Copy");
        copy.setId(id + "-copy");
        copy.setTooltip(new Tooltip("Copy what you typed; the clipboard is cleared after 30 s if it still holds it"));
        copy.setFocusTraversable(false);
        copy.disableProperty().bind(masked.textProperty().isEmpty());
        copy.setOnAction(e -> clipboard.copy(masked.getText()));
        getChildren().addAll(masked, plain, reveal, copy);
        setMaxWidth(Double.MAX_VALUE);
    }

    public String text() {
        return masked.getText();
    }

    public boolean revealed() {
        return reveal.isSelected();
    }

    /** Forgets the value and masks again (after a save, nothing typed stays on screen). */
    public void clear() {
        masked.clear();
        reveal.setSelected(false);
    }

    public PasswordField input() {
        return masked;
    }
}
