package dev.appstrate.desktop.ui;

/** How pages move the user elsewhere. */
public interface Navigator {
    void show(PageId page);

    /** Opens the run detail page with its live log. */
    void openRun(String runId);

    /** Opens the agents page on one agent. */
    void openAgent(String packageId);

    /** Opens Settings on one embedded-server setting (its variable), focused and scrolled into view. */
    default void openSetting(String variable) {
        show(PageId.SETTINGS);
    }
}
