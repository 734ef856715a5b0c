package dev.appstrate.server.logging;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.LayoutBase;
import java.time.LocalDate;
import java.util.TimeZone;

/**
 * The server's log line, {@code 2026-01-31 12:00:00.000 INFO  [thread] Logger - message}, written by hand:
 * logback's pattern parser and its converter registry load ~170 classes before the first line.
 */
public final class LogLineLayout extends LayoutBase<ILoggingEvent> {
    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        timestamp(b, event.getTimeStamp());
        String level = event.getLevel().toString();
        b.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            b.append(' ');
        }
        String logger = event.getLoggerName();
        b.append(" [").append(event.getThreadName()).append("] ")
                .append(logger, logger.lastIndexOf('.') + 1, logger.length())
                .append(" - ").append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown));
        }
        return b.toString();
    }

    /** Local time as {@code yyyy-MM-dd HH:mm:ss.SSS}. */
    static void timestamp(StringBuilder b, long epochMillis) {
        long local = epochMillis + TimeZone.getDefault().getOffset(epochMillis);
        long day = Math.floorDiv(local, 86_400_000L);
        int msOfDay = (int) Math.floorMod(local, 86_400_000L);
        LocalDate date = LocalDate.ofEpochDay(day);
        b.append(date.getYear()).append('-');
        two(b, date.getMonthValue());
        b.append('-');
        two(b, date.getDayOfMonth());
        b.append(' ');
        two(b, msOfDay / 3_600_000);
        b.append(':');
        two(b, msOfDay / 60_000 % 60);
        b.append(':');
        two(b, msOfDay / 1000 % 60);
        b.append('.');
        int ms = msOfDay % 1000;
        b.append(ms < 100 ? ms < 10 ? "00" : "0" : "").append(ms);
    }

    private static void two(StringBuilder b, int v) {
        b.append(v < 10 ? "0" : "").append(v);
    }
}
