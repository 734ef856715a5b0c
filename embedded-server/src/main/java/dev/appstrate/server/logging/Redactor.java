package dev.appstrate.server.logging;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Scrubs known secret values out of text before it reaches a log, an error body or a crash report.
 * Values are learned when a secret is sealed or opened; the logging safety net uses {@link #global()}
 * because logback is process-wide.
 */
public final class Redactor {
    public static final String MASK = "[REDACTED]";
    /** Shorter values are not learned: redacting them would garble ordinary words. */
    public static final int MIN_LENGTH = 6;
    /** The shortest kept beginning of a cut-off secret that {@link #redactCutEnd} masks. */
    static final int CUT_PREFIX_MIN = 3;
    private static final Redactor GLOBAL = new Redactor();

    private final Set<String> values = ConcurrentHashMap.newKeySet();
    private volatile List<String> longestFirst = List.of();

    public static Redactor global() {
        return GLOBAL;
    }

    /** Learns a secret value and the encodings it commonly travels in (URL, JSON escapes). */
    public void add(String value) {
        if (value == null || value.length() < MIN_LENGTH) {
            return;
        }
        boolean changed = false;
        for (String form : forms(value)) {
            changed |= values.add(form);
        }
        if (changed) {
            rebuild();
        }
    }

    /**
     * A value as it is written raw, URL-encoded and inside a JSON string (also with {@code /} escaped, as some encoders
     * write it): an error body that quotes a key with a quote, backslash or slash in it carries one of the latter.
     */
    public static Set<String> forms(String value) {
        Set<String> out = new LinkedHashSet<>();
        out.add(value);
        out.add(URLEncoder.encode(value, StandardCharsets.UTF_8));
        String json = jsonEscaped(value);
        out.add(json);
        out.add(json.replace("/", "\\/"));
        return out;
    }

    /** Learns {@code user:password} and its base64 form, as a Basic Authorization header carries it. */
    public void addBasicPair(String user, String password) {
        String pair = (user == null ? "" : user) + ":" + (password == null ? "" : password);
        add(password);
        add(Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8)));
    }

    public void forget(String value) {
        if (value != null && values.remove(value)) {
            rebuild();
        }
    }

    public boolean knows(String value) {
        return values.contains(value);
    }

    /** The text with every known value replaced by {@value #MASK}. */
    public String redact(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        List<String> list = longestFirst;
        if (list.isEmpty()) {
            return text;
        }
        String out = text;
        for (String v : list) {
            if (out.contains(v)) {
                out = out.replace(v, MASK);
            }
        }
        return out;
    }

    /**
     * The text with a cut-off secret at its end masked too: a sender that cut the text without knowing a value may have
     * kept its first characters (at least {@value #CUT_PREFIX_MIN} of them are masked; fewer reveal next to nothing).
     */
    public String redactCutEnd(String text) {
        String out = redact(text);
        if (out == null) {
            return null;
        }
        int longest = 0;
        for (String v : longestFirst) {
            for (int k = Math.min(v.length() - 1, out.length()); k >= CUT_PREFIX_MIN && k > longest; k--) {
                if (out.regionMatches(out.length() - k, v, 0, k)) {
                    longest = k;
                }
            }
        }
        return longest == 0 ? out : out.substring(0, out.length() - longest) + MASK;
    }

    /** The tree with every string masked; the same node when nothing needed masking (no copy on the common path). */
    public com.fasterxml.jackson.databind.JsonNode redact(com.fasterxml.jackson.databind.JsonNode n) {
        if (n == null || longestFirst.isEmpty()) {
            return n;
        }
        if (n.isTextual()) {
            String clean = redact(n.asText());
            return clean.equals(n.asText()) ? n : com.fasterxml.jackson.databind.node.TextNode.valueOf(clean);
        }
        if (!n.isContainerNode()) {
            return n;
        }
        com.fasterxml.jackson.databind.JsonNode copy = null;
        if (n.isObject()) {
            for (var it = n.properties().iterator(); it.hasNext(); ) {
                var e = it.next();
                com.fasterxml.jackson.databind.JsonNode v = redact(e.getValue());
                if (v != e.getValue()) {
                    copy = copy == null ? n.deepCopy() : copy;
                    ((com.fasterxml.jackson.databind.node.ObjectNode) copy).set(e.getKey(), v);
                }
            }
        } else {
            for (int i = 0; i < n.size(); i++) {
                com.fasterxml.jackson.databind.JsonNode v = redact(n.get(i));
                if (v != n.get(i)) {
                    copy = copy == null ? n.deepCopy() : copy;
                    ((com.fasterxml.jackson.databind.node.ArrayNode) copy).set(i, v);
                }
            }
        }
        return copy == null ? n : copy;
    }

    private synchronized void rebuild() {
        List<String> l = new ArrayList<>(values);
        // longest first so a value containing another is masked whole
        l.sort(Comparator.comparingInt(String::length).reversed());
        longestFirst = List.copyOf(l);
    }

    private static String jsonEscaped(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.toString();
    }
}
