package dev.appstrate.desktop.ui;

/** "1 run", "2 runs", "1 match", "3 matches": counts as people write them. */
public final class Plural {
    private Plural() {
    }

    public static String of(long n, String singular) {
        return of(n, singular, singular.endsWith("ch") || singular.endsWith("s") || singular.endsWith("x")
                ? singular + "es" : singular + "s");
    }

    public static String of(long n, String singular, String plural) {
        return n + " " + (n == 1 ? singular : plural);
    }
}
