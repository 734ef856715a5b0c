package dev.appstrate.server.schedule;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * What to do with the occurrences of one schedule that are due at {@code now}: an occurrence due less than
 * {@link #ON_TIME} ago fires; of the older ("missed", e.g. while the laptop was off) only the most recent
 * {@code maxCatchUp} fire and the others are recorded as skipped.
 *
 * @param fire       occurrences to start, oldest first
 * @param skipped    missed occurrences recorded as skipped, oldest first (at most {@link #SKIP_RECORD_LIMIT})
 * @param unrecorded skipped occurrences beyond the record limit (counted approximately: at least this many)
 * @param next       the next occurrence after now, null when the expression never fires again
 */
record CatchUpPlan(List<Instant> fire, List<Instant> skipped, long unrecorded, Instant next) {
    /** How late an occurrence may be and still count as on time rather than missed. */
    static final Duration ON_TIME = Duration.ofMinutes(1);
    static final int SKIP_RECORD_LIMIT = 1000;

    static CatchUpPlan of(CronRule rule, Instant due, Instant now, int maxCatchUp) {
        Instant next = rule.nextAfter(now).orElse(null);
        if (due.isAfter(now)) {
            return new CatchUpPlan(List.of(), List.of(), 0, due);
        }
        // walk forward from the due occurrence; a long downtime is cut short and its tail found backwards
        List<Instant> forward = new ArrayList<>();
        forward.add(due);
        Instant cursor = due;
        boolean complete = false;
        while (forward.size() <= SKIP_RECORD_LIMIT + maxCatchUp) {
            Optional<Instant> n = rule.nextAfter(cursor);
            if (n.isEmpty() || n.get().isAfter(now)) {
                complete = true;
                break;
            }
            cursor = n.get();
            forward.add(cursor);
        }
        TreeSet<Instant> all = new TreeSet<>(forward);
        if (!complete) {
            Instant back = now.plusMillis(1);
            for (int i = 0; i <= maxCatchUp + 60; i++) {
                Optional<Instant> p = rule.previousBefore(back);
                if (p.isEmpty() || p.get().isBefore(due)) {
                    break;
                }
                back = p.get();
                if (!back.isAfter(now)) {
                    all.add(back);
                }
            }
        }
        Instant onTimeFrom = now.minus(ON_TIME);
        List<Instant> fire = new ArrayList<>();
        List<Instant> missed = new ArrayList<>();
        for (Instant t : all) {
            if (t.isAfter(onTimeFrom)) {
                fire.add(t);
            } else {
                missed.add(t);
            }
        }
        int keep = Math.min(maxCatchUp, missed.size());
        List<Instant> caughtUp = missed.subList(missed.size() - keep, missed.size());
        List<Instant> skipped = new ArrayList<>(missed.subList(0, missed.size() - keep));
        fire.addAll(0, caughtUp);
        long unrecorded = 0;
        if (skipped.size() > SKIP_RECORD_LIMIT) {
            unrecorded = skipped.size() - SKIP_RECORD_LIMIT;
            skipped = new ArrayList<>(skipped.subList(0, SKIP_RECORD_LIMIT));
        }
        if (!complete) {
            unrecorded++;
        }
        return new CatchUpPlan(List.copyOf(fire), List.copyOf(skipped), unrecorded, next);
    }
}
