package dev.appstrate.server.store;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** One timestamp format for storage and the wire: ISO-8601 UTC with milliseconds, sortable as text. */
public final class Times {
    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
            .withZone(ZoneOffset.UTC);

    private Times() {
    }

    public static String iso(Instant instant) {
        return instant == null ? null : ISO.format(instant);
    }

    public static Instant parse(String s) {
        return s == null ? null : Instant.parse(s);
    }
}
