package dev.appstrate.server.schedule;

import dev.appstrate.server.schedule.ScheduledRunLauncher.LaunchResult;
import dev.appstrate.server.timers.Timers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The durable cron scheduler. Each enabled schedule's next occurrence is stored in {@code schedules.next_run_at};
 * one timer is armed for the earliest of them and re-armed whenever a schedule changes. When it rings, every due
 * schedule is advanced and its occurrences claimed in {@code schedule_fires} (primary key = schedule + fire time)
 * in one transaction, then launched: an occurrence is never launched twice, even across restarts.
 */
public final class Scheduler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Scheduler.class);
    /** After a failed pass, wait this long before trying the same schedules again. */
    private static final Duration FAILURE_BACKOFF = Duration.ofSeconds(5);

    private final ScheduleRepository store;
    private final Clock clock;
    private final Timers timers;
    private final ScheduledRunLauncher launcher;
    private final int catchUpMax;
    private Timers.Timer timer;
    private boolean running;
    /** Tells the other instances a schedule changed here (Redis); nothing on one server. */
    private volatile Runnable peers = () -> { };

    public Scheduler(ScheduleRepository store, Clock clock, Timers timers, ScheduledRunLauncher launcher, int catchUpMax) {
        this.store = store;
        this.clock = clock;
        this.timers = timers;
        this.launcher = launcher;
        this.catchUpMax = catchUpMax;
    }

    /** Fails fires a crash left half-started, then processes anything already due and arms the timer. */
    public synchronized void start() {
        running = true;
        int interrupted = store.failInterruptedFires();
        if (interrupted > 0) {
            LOG.warn("Scheduled runs interrupted by the last shutdown marked failed count={}", interrupted);
        }
        LOG.info("Schedule worker initialized catchUpMax={}", catchUpMax);
        tick();
    }

    /** With several instances: {@code notice} tells the others after each {@link #changed()} here. */
    public void tellPeers(Runnable notice) {
        this.peers = notice;
    }

    /** A schedule was created, edited, paused, resumed or deleted: re-arm for the new earliest occurrence, here and on peers. */
    public void changed() {
        rearm();
        peers.run();
    }

    /** Re-arms for the earliest occurrence now stored (another instance changed a schedule). */
    public synchronized void rearm() {
        if (!running) {
            return;
        }
        try {
            arm(null);
        } catch (RuntimeException e) {
            // the change is committed: a store busy now must neither fail the caller's write nor leave no timer
            LOG.warn("Schedule re-arm failed; trying again in {} s error={}", FAILURE_BACKOFF.toSeconds(), e.toString());
            retryLater(clock.instant());
        }
    }

    /** Starts a run of this schedule now, whether or not it is paused; returns the recorded fire. */
    public synchronized ScheduleFire runNow(Schedule schedule) {
        Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        while (!claim(schedule.id(), at, ScheduleFire.MANUAL)) {
            at = at.plusMillis(1);
        }
        launch(schedule, at);
        return store.fire(schedule.id(), at).orElseThrow();
    }

    private boolean claim(String scheduleId, Instant at, String trigger) {
        Instant now = clock.instant();
        return store.claimFire(scheduleId, at, trigger, "pending", now);
    }

    /** The timer rang: handle every due schedule, then re-arm. */
    synchronized void tick() {
        if (!running) {
            return;
        }
        Instant now = clock.instant();
        boolean failed = false;
        try {
            for (Schedule s : store.due(now)) {
                try {
                    processDue(s, now);
                } catch (RuntimeException | Error e) {
                    failed = true;
                    LOG.error("Schedule fire failed scheduleId={} error={}", s.id(), e.toString(), e);
                }
            }
            arm(failed ? now.plus(FAILURE_BACKOFF) : null);
        } catch (RuntimeException | Error e) {
            // the store could not be read: without a timer no schedule would fire again until one is edited
            LOG.error("Schedule pass failed; trying again in {} s error={}", FAILURE_BACKOFF.toSeconds(), e.toString(), e);
            retryLater(now);
        }
    }

    private void retryLater(Instant now) {
        if (timer != null) {
            timer.cancel();
        }
        timer = timers.at(now.plus(FAILURE_BACKOFF), this::tick);
    }

    private void processDue(Schedule s, Instant now) {
        CatchUpPlan plan = CatchUpPlan.of(s.rule(), s.nextRunAt(), now, catchUpMax);
        List<Instant> claimed = store.claimDue(s, plan.next(), plan.skipped(), plan.fire(), now);
        if (!plan.skipped().isEmpty() || plan.unrecorded() > 0) {
            LOG.warn("Schedule occurrences missed while the server was down scheduleId={} skipped={} started={} catchUpMax={}",
                    s.id(), plan.skipped().size() + plan.unrecorded(), plan.fire().size(), catchUpMax);
        }
        for (Instant t : claimed) {
            launch(s, t);
        }
    }

    private void launch(Schedule s, Instant fireTime) {
        LaunchResult result;
        try {
            result = launcher.launch(s.id(), s.applicationId(), s.agentScope(), s.agentName(), s.input(), fireTime);
            if (result == null) {
                result = LaunchResult.failed(null, "The run pipeline returned no result");
            }
        } catch (RuntimeException | Error e) {
            LOG.error("Scheduled run launch failed scheduleId={} fireTime={}", s.id(), fireTime, e);
            result = LaunchResult.failed(null, "Run could not start: " + e.getMessage());
        }
        store.finishFire(s.id(), fireTime, result.isStarted() ? "started" : "failed", result.runId(), result.failure());
        store.touchLastRun(s.id(), clock.instant());
        if (result.isStarted()) {
            LOG.info("Scheduled run started scheduleId={} fireTime={} runId={}", s.id(), fireTime, result.runId());
        } else {
            LOG.warn("Scheduled run failed to start scheduleId={} fireTime={} runId={} reason={}", s.id(), fireTime,
                    result.runId(), result.failure());
        }
    }

    private void arm(Instant notBefore) {
        Optional<Instant> earliest = store.earliestNextRun(); // read first: a failed read keeps the timer there is
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
        if (earliest.isEmpty()) {
            return;
        }
        Instant when = notBefore != null && notBefore.isAfter(earliest.get()) ? notBefore : earliest.get();
        timer = timers.at(when, this::tick);
    }

    /** Stops firing; the stored next occurrences stay, so a later start resumes (with catch-up). */
    @Override
    public synchronized void close() {
        running = false;
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }
}
