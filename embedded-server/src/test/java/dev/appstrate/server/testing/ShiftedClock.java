package dev.appstrate.server.testing;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;

/** Real time plus a shift tests move forward, so a minute-level cron fires within seconds and time still flows. */
public final class ShiftedClock extends Clock {
    private volatile Duration shift = Duration.ZERO;

    /** Moves the clock forward so that the next whole minute is {@code d} away. */
    public void shiftSoNextMinuteIsIn(Duration d) {
        Instant real = Clock.systemUTC().instant();
        shift = Duration.between(real, real.plus(shift).truncatedTo(ChronoUnit.MINUTES).plusSeconds(60).minus(d));
    }

    @Override
    public Instant instant() {
        return Clock.systemUTC().instant().plus(shift);
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        throw new UnsupportedOperationException();
    }
}
