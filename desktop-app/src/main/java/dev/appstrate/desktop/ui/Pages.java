package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.ui.dashboard.DashboardPage;

/** Builds each sidebar page on first visit. */
final class Pages {
    private Pages() {
    }

    static Page create(DesktopContext ctx, PageId id) {
        return switch (id) {
            case DASHBOARD -> new DashboardPage(ctx, ctx.localRunAdapter());
            case AGENTS -> new dev.appstrate.desktop.ui.agents.AgentsPage(ctx);
            case RUNS -> new dev.appstrate.desktop.ui.runs.RunsPage(ctx);
            case MODELS -> new dev.appstrate.desktop.ui.models.ModelsPage(ctx);
            case API_KEYS -> new dev.appstrate.desktop.ui.apikeys.ApiKeysPage(ctx);
            case APPLICATIONS -> new dev.appstrate.desktop.ui.applications.ApplicationsPage(ctx);
            case SCHEDULES -> new PlaceholderPage(id, "the schedules feature (issue 7)",
                    "Cron schedules per agent: a human-readable description, the next fire times with their time zone, "
                            + "pause and resume, and run-now.");
            case WEBHOOKS -> new PlaceholderPage(id, "the webhooks feature (issue 7)",
                    "Outbound webhooks for run events, signed the Standard Webhooks way, with their delivery history and retries.");
            case SECRETS -> new PlaceholderPage(id, "the secrets feature (issue 8)",
                    "Integration connections stored encrypted: masked by default, reveal and copy, write-only after saving.");
            case DOCKER -> new PlaceholderPage(id, "the Docker feature (issue 6)",
                    "Containers, networks and volumes Appstrate created, with their runs, and an orphan cleanup that "
                            + "lists what it will remove before it does.");
            case SETTINGS -> new dev.appstrate.desktop.ui.settings.SettingsPage(ctx);
        };
    }
}
