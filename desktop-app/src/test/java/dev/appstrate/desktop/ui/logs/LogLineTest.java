package dev.appstrate.desktop.ui.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import org.junit.jupiter.api.Test;

/** The row's time is written by hand; it must read exactly as DateTimeFormatter's HH:mm:ss.SSS did. */
class LogLineTest {
    @Test
    void handWrittenTimeReadsAsTheFormatterInEveryKindOfZone() {
        long[] instants = {1L, 999L, 1_700_000_000_123L, 1_711_846_799_999L, 1_711_846_800_000L, 1_729_990_800_500L,
            -86_400_001L, 946_684_799_999L, 4_102_444_800_007L};
        for (String z : new String[] {"UTC", "Europe/Paris", "America/St_Johns", "Asia/Kathmandu", "Pacific/Chatham"}) {
            ZoneId zone = ZoneId.of(z);
            DateTimeFormatter f = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(zone);
            for (long t : instants) {
                StringBuilder sb = new StringBuilder();
                LogLine.appendTime(sb, t, zone.getRules());
                assertEquals(f.format(Instant.ofEpochMilli(t)), sb.toString(), z + " at " + t);
            }
        }
    }

    @Test
    void aRowStartsWithTheLocalTimeThenTheLevel() {
        LogLine line = new LogLine(7, 1_700_000_000_123L, LogLevel.WARN, "tool", "done");
        String expected = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault())
                .format(Instant.ofEpochMilli(1_700_000_000_123L)) + "  WARN   [tool] done";
        assertEquals(expected, line.format(true));
        assertEquals("--:--:--.---  WARN   [tool] done", new LogLine(7, 0, LogLevel.WARN, "tool", "done").format(true));
    }
}
