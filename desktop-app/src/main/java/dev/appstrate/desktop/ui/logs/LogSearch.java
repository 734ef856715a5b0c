package dev.appstrate.desktop.ui.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** A search over log text: plain (case-insensitive) or a regular expression; immutable. */
public final class LogSearch {
    public static final LogSearch NONE = new LogSearch("", false, null, null);

    private final String query;
    private final boolean regex;
    private final Pattern pattern;
    private final String error;

    private LogSearch(String query, boolean regex, Pattern pattern, String error) {
        this.query = query;
        this.regex = regex;
        this.pattern = pattern;
        this.error = error;
    }

    public static LogSearch of(String query, boolean regex) {
        if (query == null || query.isEmpty()) {
            return NONE;
        }
        try {
            Pattern p = regex ? Pattern.compile(query, Pattern.CASE_INSENSITIVE)
                    : Pattern.compile(Pattern.quote(query), Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
            return new LogSearch(query, regex, p, null);
        } catch (PatternSyntaxException e) {
            return new LogSearch(query, true, null, e.getDescription());
        }
    }

    public boolean active() {
        return pattern != null;
    }

    public String query() {
        return query;
    }

    public boolean regex() {
        return regex;
    }

    /** Why the regex is invalid, or null. */
    public String error() {
        return error;
    }

    public boolean matches(LogLine line) {
        if (pattern == null) {
            return false;
        }
        if (!regex) {
            // plain search: a cheap case-insensitive scan before the regex machinery
            return containsIgnoreCase(line.message(), query) || containsIgnoreCase(line.event(), query);
        }
        return pattern.matcher(line.message()).find() || pattern.matcher(line.event()).find();
    }

    /** [start, end) ranges of the matches in {@code text}, for highlighting. */
    public List<int[]> ranges(String text) {
        List<int[]> out = new ArrayList<>();
        if (pattern == null) {
            return out;
        }
        Matcher m = pattern.matcher(text);
        while (m.find() && out.size() < 50) {
            if (m.end() == m.start()) {
                if (m.end() >= text.length()) {
                    break;
                }
                continue;
            }
            out.add(new int[] {m.start(), m.end()});
        }
        return out;
    }

    static boolean containsIgnoreCase(String text, String q) {
        int n = q.length();
        if (n == 0) {
            return true;
        }
        for (int i = 0, last = text.length() - n; i <= last; i++) {
            if (text.regionMatches(true, i, q, 0, n)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return query.toLowerCase(Locale.ROOT);
    }
}
