package dev.appstrate.server.secrets;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The credential proxy's SSRF rule (the original sidecar's blocklist + {@code EGRESS_ALLOW_INTERNAL_HOSTS}):
 * a request carrying credentials may reach a loopback, private, link-local or otherwise internal address
 * only when the operator lists the URL's host in {@code EGRESS_ALLOW_INTERNAL_HOSTS}. This adds to
 * {@link CredentialInjector}'s rule (the integration must name an internal host literally): both must agree.
 * Names are resolved here, so a public name pointing at an internal address is caught too.
 */
public final class EgressGuard {
    private final Set<String> allowedInternalHosts;

    public EgressGuard(List<String> allowedInternalHosts) {
        this.allowedInternalHosts = allowedInternalHosts == null ? Set.of() : allowedInternalHosts.stream()
                .map(EgressGuard::bare).filter(h -> !h.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** Null when the target may be contacted; otherwise why not (names the host, never the path or query). */
    public String refusal(URI target) {
        String host = target.getHost();
        if (host == null) {
            return "The target has no host";
        }
        String bare = bare(host);
        if (allowedInternalHosts.contains(bare)) {
            return null;
        }
        if (AuthorizedUris.internalHost(host)) {
            return internal(bare);
        }
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            // nothing to reach: the HTTP client reports the failure as a bad gateway
            return null;
        }
        for (InetAddress a : addresses) {
            if (internalAddress(a)) {
                return internal(bare) + " (it resolves to " + a.getHostAddress() + ")";
            }
        }
        return null;
    }

    /** Loopback, private (RFC 1918, ULA), link-local (cloud metadata), CGNAT, unspecified or multicast. */
    public static boolean internalAddress(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return first == 0 || (first == 100 && second >= 64 && second < 128) || first >= 240;
        }
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc;
        }
        return false;
    }

    private static String internal(String host) {
        return "The target host " + host + " is an internal address; credentials are sent there only when "
                + "EGRESS_ALLOW_INTERNAL_HOSTS lists it";
    }

    private static String bare(String host) {
        String h = host.strip().toLowerCase(Locale.ROOT);
        return h.startsWith("[") && h.endsWith("]") ? h.substring(1, h.length() - 1) : h;
    }
}
