package dev.appstrate.runner;

import java.util.ArrayList;
import java.util.List;

/** Removes known secret values (model API key, sink secret) from any text that leaves the runner. */
public final class Redactor {
    private static final String MASK = "[redacted]";
    private final List<String> secrets = new ArrayList<>();

    public Redactor(String... values) {
        for (String v : values) {
            // very short values would mask ordinary words; real keys and sink secrets are long
            if (v != null && v.length() >= 6) {
                secrets.add(v);
            }
        }
    }

    public String scrub(String text) {
        if (text == null) {
            return null;
        }
        String out = text;
        for (String s : secrets) {
            out = out.replace(s, MASK);
        }
        return out;
    }
}
