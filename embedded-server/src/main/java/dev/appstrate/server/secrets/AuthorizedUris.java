package dev.appstrate.server.secrets;

import dev.appstrate.server.egress.EgressGuard;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The AFPS URL allowlist: a literal is exact equality, {@code *} matches within one path segment,
 * {@code **} any substring of the path; in the authority both stay inside the host so a wildcard can
 * never move the request to another host. Targets are canonicalised first (lower-case scheme and host,
 * default port dropped, dot segments resolved, fragment dropped).
 */
public final class AuthorizedUris {
    private AuthorizedUris() {
    }

    public static boolean validPattern(String pattern) {
        return compile(pattern) != null;
    }

    /** Whether any pattern admits the URL. */
    public static boolean matchesAny(List<String> patterns, String url) {
        String target = canonical(url);
        if (target == null) {
            return false;
        }
        for (String p : patterns) {
            Pattern re = compile(p);
            if (re != null && re.matcher(target).matches()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The target as compared: {@code scheme://host[:port]/path[?query]}; null when it is not an absolute
     * http(s) URL, carries userinfo, or still climbs with {@code ..} after normalisation (e.g. {@code %2e%2e}).
     */
    public static String canonical(String url) {
        URI u;
        try {
            u = new URI(url).normalize();
        } catch (URISyntaxException e) {
            return null;
        }
        String scheme = u.getScheme() == null ? null : u.getScheme().toLowerCase(Locale.ROOT);
        if (!"http".equals(scheme) && !"https".equals(scheme)) {
            return null;
        }
        if (u.getRawUserInfo() != null || u.getHost() == null) {
            return null;
        }
        String path = u.getRawPath() == null || u.getRawPath().isEmpty() ? "/" : u.getRawPath();
        String decoded = u.getPath() == null ? "" : u.getPath();
        for (String seg : decoded.split("/")) {
            if (seg.equals("..") || seg.equals(".")) {
                return null;
            }
        }
        int port = u.getPort();
        boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
        StringBuilder sb = new StringBuilder(scheme).append("://").append(u.getHost().toLowerCase(Locale.ROOT));
        if (!defaultPort) {
            sb.append(':').append(port);
        }
        sb.append(path);
        if (u.getRawQuery() != null) {
            sb.append('?').append(u.getRawQuery());
        }
        return sb.toString();
    }

    /** Whether some pattern names the URL's host literally (no wildcard): only then may it be an internal address. */
    public static boolean hostLiterallyAllowed(List<String> patterns, String url) {
        String host;
        try {
            host = new URI(url).getHost();
        } catch (URISyntaxException e) {
            return false;
        }
        if (host == null) {
            return false;
        }
        for (String p : patterns) {
            String[] parts = split(p);
            if (parts != null && !parts[1].contains("*")) {
                String h = parts[1];
                int colon = h.lastIndexOf(':');
                if (colon > 0 && !h.endsWith("]")) {
                    h = h.substring(0, colon);
                }
                if (h.equalsIgnoreCase(host)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a host is localhost or an internal IP literal (no DNS lookup): the egress guard's classifier. */
    public static boolean internalHost(String host) {
        return EgressGuard.internalLiteral(host);
    }

    /** [scheme, authority, rest] of a pattern, or null. */
    private static String[] split(String pattern) {
        int sep = pattern.indexOf("://");
        if (sep <= 0) {
            return null;
        }
        String scheme = pattern.substring(0, sep).toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            return null;
        }
        String rest = pattern.substring(sep + 3);
        int slash = rest.indexOf('/');
        String authority = slash < 0 ? rest : rest.substring(0, slash);
        String path = slash < 0 ? "/" : rest.substring(slash);
        if (authority.isEmpty() || authority.contains("@")) {
            return null;
        }
        return new String[] {scheme, authority.toLowerCase(Locale.ROOT), path};
    }

    static Pattern compile(String pattern) {
        String[] parts = split(pattern);
        if (parts == null) {
            return null;
        }
        String authority = parts[1];
        if (authority.endsWith(":443") && parts[0].equals("https")) {
            authority = authority.substring(0, authority.length() - 4);
        } else if (authority.endsWith(":80") && parts[0].equals("http")) {
            authority = authority.substring(0, authority.length() - 3);
        }
        return Pattern.compile("^" + Pattern.quote(parts[0] + "://") + component(authority, false)
                + component(parts[2], true) + "$");
    }

    private static String component(String part, boolean path) {
        StringBuilder sb = new StringBuilder();
        int i = 0;
        while (i < part.length()) {
            if (part.startsWith("**", i)) {
                sb.append(path ? ".*" : "[^/?#@]*");
                i += 2;
            } else if (part.charAt(i) == '*') {
                sb.append(path ? "[^/]*" : "[^/?#@.]*");
                i++;
            } else {
                int next = part.indexOf('*', i);
                String lit = next < 0 ? part.substring(i) : part.substring(i, next);
                sb.append(Pattern.quote(lit));
                i += lit.length();
            }
        }
        return sb.toString();
    }
}
