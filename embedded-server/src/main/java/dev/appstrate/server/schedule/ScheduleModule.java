package dev.appstrate.server.schedule;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.timers.ExecutorTimers;
import java.time.Duration;

/**
 * Schedules: the durable scheduler on its own timer thread and the schedules API. The run pipeline provides
 * {@link ScheduledRunLauncher} and the packages module {@link AgentCatalog}; both are looked up at use, so
 * module order does not matter. Until a catalog is registered every agent is taken to exist.
 */
public final class ScheduleModule implements ServerModule {
    /** Timer slices never sleep longer than this, so a suspended laptop catches up soon after waking. */
    private static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    @Override
    public void install(ServerContext ctx) {
        ScheduleSettings settings = ScheduleSettings.fromEnv(System::getenv);
        ScheduleStore store = new ScheduleStore(ctx.database());
        ExecutorTimers timers = new ExecutorTimers("scheduler", ctx.clock(), MAX_SLEEP);
        Scheduler scheduler = new Scheduler(store, ctx.clock(), timers, () -> {
            ScheduledRunLauncher l = ctx.find(ScheduledRunLauncher.class);
            return l != null ? l : ScheduledRunLauncher.UNAVAILABLE;
        }, settings.catchUpMax());
        ctx.onStop(timers);
        ctx.onStop(scheduler);
        Schedules schedules = new Schedules(store, scheduler, ctx.clock(), (applicationId, packageId) -> {
            AgentCatalog catalog = ctx.find(AgentCatalog.class);
            return catalog == null || catalog.find(applicationId, packageId).isPresent();
        });
        ctx.put(Schedules.class, schedules);
        new ScheduleRoutes(schedules, ctx.clock()).register(ctx.router());
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        ctx.get(Schedules.class).scheduler().start();
    }
}
