package dev.appstrate.server.inline;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.InlineRunLimits;
import dev.appstrate.server.packages.ManifestValidator;
import dev.appstrate.server.packages.PackageService;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.runs.RunJsonExtension;
import dev.appstrate.server.runs.RunNames;
import dev.appstrate.server.runs.RunService;
import dev.appstrate.server.secrets.RunConnections;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Inline runs: their routes, the ephemeral packages, and the retention purge (at boot, then hourly). */
public final class InlineRunsModule implements ServerModule {
    private InlineRetention retention;

    @Override
    public void install(ServerContext ctx) {
        InlineRunLimits limits = ctx.config().inlineRunLimits();
        InlinePackageRepository packages = new InlinePackageRepository(ctx.database());
        SchemaValidator schemas = ctx.get(SchemaValidator.class);
        PackageService catalog = ctx.get(PackageService.class);
        InlineRunService service = new InlineRunService(ctx.get(RunService.class), packages, new ManifestValidator(schemas), schemas,
                catalog::byId, ctx.find(RunConnections.class), limits, ctx.clock(), new RunNames(ctx.database()));
        ctx.put(InlineRunService.class, service);
        ctx.put(RunJsonExtension.class, service);
        new InlineRunRoutes(service, limits.ratePerMin()).register(ctx.router());
        retention = new InlineRetention(packages, ctx.clock(), limits.retentionDays(), ctx.config().runsDir());
        ctx.put(InlineRetention.class, retention);
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        // first purge at boot: what expired while the server was down goes before anyone lists runs
        retention.purgeQuietly();
        ScheduledExecutorService timer = NamedExecutors.scheduled("inline-retention", 1);
        timer.scheduleWithFixedDelay(retention::purgeQuietly, 1, 1, TimeUnit.HOURS);
        ctx.onStop(NamedExecutors.closer(timer));
    }
}
