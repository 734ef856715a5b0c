package dev.appstrate.server;

import dev.appstrate.server.docker.DockerModule;
import dev.appstrate.server.secrets.SecretsModule;
import java.util.List;

/** The modules of the server, in install order (later ones may use services of earlier ones). */
final class ServerModules {
    private ServerModules() {
    }

    static List<ServerModule> all() {
        return List.of(
                new dev.appstrate.server.tenancy.TenancyModule(),
                new SecretsModule(),
                new dev.appstrate.server.packages.PackagesModule(),
                new DockerModule(),
                new dev.appstrate.server.runs.RunsModule(),
                new dev.appstrate.server.inline.InlineRunsModule(),
                new dev.appstrate.server.transcript.TranscriptModule(),
                new dev.appstrate.server.schedule.ScheduleModule(),
                new dev.appstrate.server.webhooks.WebhookModule(),
                // last: documents every route the modules above registered
                new dev.appstrate.server.openapi.OpenApiModule());
    }
}
