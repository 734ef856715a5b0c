package dev.appstrate.server.inline;

import dev.appstrate.server.runs.Runs;
import dev.appstrate.server.store.Times;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Purges inline runs and their ephemeral packages {@code retention_days} after they were created. The
 * creation time is in the database and "now" comes from the injected clock, so a purge missed while the
 * server was down happens at the next boot, and tests move a manual clock instead of waiting.
 */
public final class InlineRetention {
    private static final Logger LOG = LoggerFactory.getLogger(InlineRetention.class);
    private final InlinePackageRepository packages;
    private final Runs runs;
    private final Clock clock;
    private final Duration retention;

    public InlineRetention(InlinePackageRepository packages, Runs runs, Clock clock, int retentionDays) {
        this.packages = packages;
        this.runs = runs;
        this.clock = clock;
        this.retention = Duration.ofDays(retentionDays);
    }

    /** Deletes what expired (runs still active are kept until they finish); returns how many runs went. */
    public int purgeExpired() {
        String cutoff = Times.iso(clock.instant().minus(retention));
        List<String> expired = packages.runIdsCreatedBefore(cutoff);
        List<String> runIds = runs.deleteFinished(expired);
        // a package is kept while its run is still active; runs deleted any other way free theirs too
        packages.deleteCreatedBefore(cutoff, runs.existing(expired));
        if (!runIds.isEmpty()) {
            LOG.info("Inline runs purged count={} retentionDays={}", runIds.size(), retention.toDays());
        }
        return runIds.size();
    }

    /** For the timer: a failure is logged and the next tick tries again. */
    public void purgeQuietly() {
        try {
            purgeExpired();
        } catch (RuntimeException e) {
            LOG.warn("Inline run purge failed error={}", e.toString());
        }
    }
}
