package dev.appstrate.desktop.ui;

/** The places in the sidebar, in order; the first nine answer to Ctrl+1..9. */
public enum PageId {
    DASHBOARD("Dashboard"),
    AGENTS("Agents"),
    RUNS("Runs"),
    MODELS("Models"),
    API_KEYS("API keys"),
    APPLICATIONS("Applications"),
    SCHEDULES("Schedules"),
    WEBHOOKS("Webhooks"),
    SECRETS("Secrets"),
    DOCKER("Docker"),
    /** Shown under Agents in the sidebar; last before Settings here so Ctrl+1..9 keep their places. */
    AGENT_FOLDERS("In development"),
    SETTINGS("Settings");

    private final String title;

    PageId(String title) {
        this.title = title;
    }

    public String title() {
        return title;
    }

    /** The CSS/test id of its sidebar button, e.g. nav-api-keys. */
    public String navId() {
        return "nav-" + name().toLowerCase().replace('_', '-');
    }
}
