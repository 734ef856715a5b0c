package dev.appstrate.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TimesTest {
    @Test
    void sameMillisecondSameTextAndTheNextMillisecondItsOwn() {
        Instant t = Instant.parse("2026-12-07T04:29:01.123456789Z");
        assertEquals("2026-12-07T04:29:01.123Z", Times.iso(t));
        assertEquals("2026-12-07T04:29:01.123Z", Times.iso(t.plusNanos(400_000)));
        assertEquals("2026-12-07T04:29:01.124Z", Times.iso(t.plusMillis(1)));
        assertEquals("2026-12-07T04:29:02.123Z", Times.iso(t.plusSeconds(1)));
        assertEquals("2026-12-07T04:29:01.123Z", Times.iso(t));
        assertEquals("1969-12-31T23:59:59.999Z", Times.iso(Instant.ofEpochMilli(-1)));
        assertNull(Times.iso(null));
    }
}
