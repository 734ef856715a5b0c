package dev.appstrate.desktop.ui;

import javafx.scene.Scene;

/** Light and dark looks: one base stylesheet plus a small palette sheet each (no external theme library). */
public enum Theme {
    LIGHT("light"), DARK("dark");

    private final String id;

    Theme(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Theme of(String id) {
        return "dark".equals(id) ? DARK : LIGHT;
    }

    public void applyTo(Scene scene) {
        scene.getStylesheets().setAll(
                Theme.class.getResource("/dev/appstrate/desktop/ui/base.css").toExternalForm(),
                Theme.class.getResource("/dev/appstrate/desktop/ui/" + id + ".css").toExternalForm());
    }
}
