package dev.appstrate.server.schedule;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.packages.AgentCatalog;
import dev.appstrate.server.packages.SchemaValidator;
import dev.appstrate.server.runs.RunService;
import dev.appstrate.server.timers.ExecutorTimers;
import java.time.Duration;

/**
 * Schedules: the durable scheduler on its own timer thread and the schedules API. Fires start runs through
 * {@link RunService} (unless another {@link ScheduledRunLauncher} is registered); agents are checked against the
 * packages module's {@link AgentCatalog}. Both are looked up at use; without a catalog every agent is taken to exist.
 */
public final class ScheduleModule implements ServerModule {
    /** Timer slices never sleep longer than this, so a suspended laptop catches up soon after waking. */
    private static final Duration MAX_SLEEP = Duration.ofMinutes(1);

    @Override
    public void install(ServerContext ctx) {
        ScheduleSettings settings = new ScheduleSettings(ctx.config().scheduleCatchupMax());
        ScheduleStore store = new ScheduleStore(ctx.database());
        ExecutorTimers timers = new ExecutorTimers("scheduler", ctx.clock(), MAX_SLEEP);
        Scheduler scheduler = new Scheduler(store, ctx.clock(), timers, () -> {
            ScheduledRunLauncher l = ctx.find(ScheduledRunLauncher.class);
            return l != null ? l : ScheduledRunLauncher.UNAVAILABLE;
        }, settings.catchUpMax());
        ctx.onStop(timers);
        ctx.onStop(scheduler);
        Schedules schedules = new Schedules(store, scheduler, ctx.clock(),
                new CatalogAgentCheck(() -> ctx.find(AgentCatalog.class), () -> ctx.find(SchemaValidator.class)));
        ctx.put(Schedules.class, schedules);
        new ScheduleRoutes(schedules, ctx.clock()).register(ctx.router());
    }

    @Override
    public void afterInstall(ServerContext ctx) {
        Schedules schedules = ctx.get(Schedules.class);
        RunService runs = ctx.find(RunService.class);
        if (ctx.find(ScheduledRunLauncher.class) == null && runs != null) {
            ctx.put(ScheduledRunLauncher.class, new RunPipelineLauncher(runs, () -> ctx.find(AgentCatalog.class), schedules));
        }
        schedules.scheduler().start();
    }
}
