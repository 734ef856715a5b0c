package dev.appstrate.server.json;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Timestamps on the wire as the original's JSON dates: UTC with exactly three fraction digits. */
public final class IsoTime {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private IsoTime() {
    }

    public static String format(Instant instant) {
        return instant == null ? null : FORMAT.format(instant);
    }

    public static String formatMillis(Long epochMillis) {
        return epochMillis == null ? null : FORMAT.format(Instant.ofEpochMilli(epochMillis));
    }
}
