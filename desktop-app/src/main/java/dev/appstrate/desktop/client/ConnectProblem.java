package dev.appstrate.desktop.client;

/** Why connecting to a server failed, said once, with what to do about it. */
public final class ConnectProblem extends RuntimeException {
    /** What went wrong: the fix differs for each. */
    public enum Kind { UNREACHABLE, NOT_APPSTRATE, INVALID_KEY }

    private final Kind kind;
    private final String title;
    private final String fix;

    public ConnectProblem(Kind kind, String title, String detail, String fix, Throwable cause) {
        super(detail, cause);
        this.kind = kind;
        this.title = title;
        this.fix = fix;
    }

    public Kind kind() {
        return kind;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return getMessage();
    }

    public String fix() {
        return fix;
    }
}
