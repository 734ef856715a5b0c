package dev.appstrate.server.store;

import java.util.UUID;

/** Ids in the original's formats: {@code app_<uuid>}, {@code run_<uuid>}, bare UUIDs for some rows. */
public final class Ids {
    private Ids() {
    }

    public static String prefixed(String prefix) {
        return prefix + "_" + UUID.randomUUID();
    }

    public static String uuid() {
        return UUID.randomUUID().toString();
    }
}
