package dev.appstrate.server.http;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Refuses requests whose Host header names a host this server was not told about. A laptop server
 * on loopback is otherwise reachable from any web page through DNS rebinding.
 */
public final class HostGuard {
    private static final Pattern IPV4 = Pattern.compile("^\\d{1,3}(\\.\\d{1,3}){3}$");
    private final Set<String> allowed = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final boolean anyIpLiteral;

    public HostGuard(String bindHost, String appUrlHost) {
        allowed.add("localhost");
        allowed.add("127.0.0.1");
        allowed.add("[::1]");
        allowed.add(bindHost.toLowerCase(Locale.ROOT));
        if (appUrlHost != null) {
            allowed.add(appUrlHost.toLowerCase(Locale.ROOT));
        }
        // bound to every interface: any of the machine's addresses may be used, and a literal IP cannot be rebound
        anyIpLiteral = bindHost.equals("0.0.0.0") || bindHost.equals("::") || bindHost.equals("[::]");
    }

    /** Also accepts this name, e.g. "sidecar": docker-mode agents reach the server through their sidecar by that name. */
    public void allow(String host) {
        allowed.add(host.toLowerCase(Locale.ROOT));
    }

    /** True when the Host header (with or without port) is acceptable. A missing header is refused. */
    public boolean allows(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return false;
        }
        String h = stripPort(hostHeader.trim().toLowerCase(Locale.ROOT));
        if (allowed.contains(h)) {
            return true;
        }
        return anyIpLiteral && (IPV4.matcher(h).matches() || h.startsWith("["));
    }

    static String stripPort(String host) {
        if (host.startsWith("[")) {
            int end = host.indexOf(']');
            return end < 0 ? host : host.substring(0, end + 1);
        }
        int colon = host.lastIndexOf(':');
        return colon < 0 ? host : host.substring(0, colon);
    }
}
