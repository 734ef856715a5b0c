package dev.appstrate.server.logging;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.io.IOException;
import java.util.TimeZone;
import org.junit.jupiter.api.Test;

/** The hand-written log line reads exactly as the logback pattern it replaced, stack traces included. */
class LogLineLayoutTest {
    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{0} - %msg%n";

    @Test
    void sameLineAsThePatternItReplaces() {
        LoggerContext lc = new LoggerContext();
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(lc);
        pattern.setPattern(PATTERN);
        pattern.start();
        LogLineLayout layout = new LogLineLayout();
        layout.setContext(lc);
        layout.start();
        Logger logger = lc.getLogger("dev.appstrate.server.runs.RunLauncher");
        IOException cause = new IOException("disk full");
        long[] times = {0L, 1_767_225_599_999L, 1_780_000_000_007L, System.currentTimeMillis()};
        for (long t : times) {
            for (Level level : new Level[] {Level.INFO, Level.WARN, Level.DEBUG, Level.ERROR}) {
                LoggingEvent plain = new LoggingEvent("fqcn", logger, level, "Run started id={} model={}", null,
                        new Object[] {"run_1", "gpt"});
                plain.setTimeStamp(t);
                plain.setThreadName("run-launch-1");
                assertEquals(pattern.doLayout(plain), layout.doLayout(plain));
                LoggingEvent failed = new LoggingEvent("fqcn", logger, level, "Run failed id={}",
                        new IllegalStateException("cannot start", cause), new Object[] {"run_1"});
                failed.setTimeStamp(t);
                failed.setThreadName("main");
                assertEquals(pattern.doLayout(failed), layout.doLayout(failed));
            }
        }
    }

    @Test
    void localTimeAcrossZonesAndDaylightSaving() {
        TimeZone saved = TimeZone.getDefault();
        try {
            for (String zone : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kolkata", "Pacific/Kiritimati"}) {
                TimeZone.setDefault(TimeZone.getTimeZone(zone));
                LoggerContext lc = new LoggerContext();
                PatternLayout pattern = new PatternLayout();
                pattern.setContext(lc);
                pattern.setPattern("%d{yyyy-MM-dd HH:mm:ss.SSS}");
                pattern.start();
                for (long t = 1_774_000_000_000L; t < 1_776_000_000_000L; t += 3_599_999L) {
                    LoggingEvent e = new LoggingEvent("fqcn", lc.getLogger("x"), Level.INFO, "m", null, null);
                    e.setTimeStamp(t);
                    StringBuilder b = new StringBuilder();
                    LogLineLayout.timestamp(b, t);
                    assertEquals(pattern.doLayout(e), b.toString(), zone + " at " + t);
                }
            }
        } finally {
            TimeZone.setDefault(saved);
        }
    }
}
