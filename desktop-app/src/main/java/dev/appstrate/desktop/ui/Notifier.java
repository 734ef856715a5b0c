package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.client.ApiProblem;

/** Short messages at the top of the window; server errors show their problem {@code detail}. */
public interface Notifier {
    void info(String message);

    void error(String message);

    default void error(Throwable t) {
        error(describe(t));
    }

    /** A page's load failure: "{what} are not available on this server yet." when the server lacks the route, else {@link #describe}. */
    static String describeLoad(String what, Throwable t) {
        return t instanceof ApiProblem p && p.notAvailable() ? what + " are not available on this server yet." : describe(t);
    }

    /** The text a person should read for a failure: the server's detail, never a stack trace. */
    static String describe(Throwable t) {
        Throwable c = t;
        while (c != null && !(c instanceof ApiProblem) && c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        if (c instanceof ApiProblem p) {
            StringBuilder sb = new StringBuilder(p.detail());
            for (ApiProblem.FieldError e : p.errors()) {
                sb.append("\n• ").append(e.field().isEmpty() ? "" : e.field() + ": ").append(e.message());
            }
            return sb.toString();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }
}
