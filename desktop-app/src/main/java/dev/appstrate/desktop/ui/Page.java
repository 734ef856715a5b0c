package dev.appstrate.desktop.ui;

import javafx.scene.Node;

/** One screen of the app: built once, told when it is shown (to refresh) and hidden (to stop streams). */
public interface Page {
    String title();

    Node view();

    default void onShow() {
    }

    default void onHide() {
    }

    /** Ctrl+R: repeats the page's last run; false when the page has none (Ctrl+R then refreshes it). */
    default boolean runAgain() {
        return false;
    }
}
