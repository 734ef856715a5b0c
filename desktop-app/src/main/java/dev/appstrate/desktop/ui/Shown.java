package dev.appstrate.desktop.ui;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/** How times and ages read on screen: local wall-clock times, a time zone when it matters, short ages. */
public final class Shown {
    private static final DateTimeFormatter LOCAL = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss", Locale.ENGLISH)
            .withZone(ZoneId.systemDefault());
    private static final DateTimeFormatter ZONED = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm z", Locale.ENGLISH);
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("EEE yyyy-MM-dd HH:mm (xxx)", Locale.ENGLISH);

    private Shown() {
    }

    /** An ISO instant as this computer's local time; "" for none, the text itself when it is not a time. */
    public static String when(String iso) {
        if (iso == null || iso.isEmpty()) {
            return "";
        }
        try {
            return LOCAL.format(Instant.parse(iso));
        } catch (DateTimeException e) {
            return iso;
        }
    }

    /** An ISO instant as wall-clock time in a time zone (the zone named), e.g. "Mon 2026-03-30 09:00 CEST". */
    public static String whenIn(String iso, String zone) {
        if (iso == null || iso.isEmpty()) {
            return "";
        }
        try {
            return ZONED.format(Instant.parse(iso).atZone(ZoneId.of(zone)));
        } catch (DateTimeException e) {
            return when(iso);
        }
    }

    /** An ISO date-time with offset as the server computed it in a zone, e.g. "Mon 2026-03-30 09:00 (+02:00)". */
    public static String offsetTime(String isoOffset) {
        try {
            return OFFSET.format(OffsetDateTime.parse(isoOffset));
        } catch (DateTimeException e) {
            return isoOffset;
        }
    }

    /** A duration in seconds as a short age: 42 s, 5 min, 3 h, 2 d. */
    public static String age(long seconds) {
        if (seconds < 0) {
            return "";
        }
        if (seconds < 60) {
            return seconds + " s";
        }
        if (seconds < 3600) {
            return seconds / 60 + " min";
        }
        if (seconds < 86_400) {
            return seconds / 3600 + " h";
        }
        return seconds / 86_400 + " d";
    }
}
