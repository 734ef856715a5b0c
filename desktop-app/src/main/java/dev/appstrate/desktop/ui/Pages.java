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
            case SCHEDULES -> new dev.appstrate.desktop.ui.schedules.SchedulesPage(ctx);
            case WEBHOOKS -> new dev.appstrate.desktop.ui.webhooks.WebhooksPage(ctx);
            case SECRETS -> new dev.appstrate.desktop.ui.secrets.SecretsPage(ctx);
            case DOCKER -> new dev.appstrate.desktop.ui.docker.DockerPage(ctx);
            case AGENT_FOLDERS -> new dev.appstrate.desktop.ui.agentdev.AgentFoldersPage(ctx);
            case SETTINGS -> new dev.appstrate.desktop.ui.settings.SettingsPage(ctx);
        };
    }
}
