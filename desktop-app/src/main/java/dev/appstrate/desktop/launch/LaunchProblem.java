package dev.appstrate.desktop.launch;

import java.util.List;

/** Why the embedded server could not start, phrased for a person: what is wrong and how to fix it. */
public final class LaunchProblem extends Exception {
    private final String title;
    private final List<String> problems;
    private final String fix;

    public LaunchProblem(String title, List<String> problems, String fix, Throwable cause) {
        super(title + ": " + String.join("; ", problems), cause);
        this.title = title;
        this.problems = List.copyOf(problems);
        this.fix = fix;
    }

    public String title() {
        return title;
    }

    public List<String> problems() {
        return problems;
    }

    public String fix() {
        return fix;
    }

    /** The whole message as plain text, for the console (headless) or a dialog. */
    public String describe() {
        StringBuilder sb = new StringBuilder(title).append('\n');
        for (String p : problems) {
            sb.append("  - ").append(p).append('\n');
        }
        return sb.append(fix).toString();
    }
}
