package dev.appstrate.server.config;

import java.util.ArrayList;
import java.util.List;

/** {@code RUNNER_COMMAND}: a program and its arguments, split on spaces; double quotes keep a path with spaces whole. */
public final class RunnerCommand {
    private RunnerCommand() {
    }

    /** The words of the command; empty when unset or blank (the built-in runner is used then). */
    public static List<String> parse(String value) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        StringBuilder word = new StringBuilder();
        boolean quoted = false;
        boolean inWord = false;
        for (char c : value.toCharArray()) {
            if (c == '"') {
                quoted = !quoted;
                inWord = true;
            } else if (Character.isWhitespace(c) && !quoted) {
                if (inWord) {
                    out.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (inWord) {
            out.add(word.toString());
        }
        return List.copyOf(out);
    }
}
