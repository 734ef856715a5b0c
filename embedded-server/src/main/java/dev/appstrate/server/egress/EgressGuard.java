package dev.appstrate.server.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Refuses outbound requests to private, loopback, link-local and other non-public addresses (SSRF), unless the
 * host is listed in {@code EGRESS_ALLOW_INTERNAL_HOSTS} (e.g. {@code localhost} for a developer's local receiver).
 */
public final class EgressGuard {
    /** Resolves a host name; the JDK resolver in production. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /** The decision for one URL. */
    public enum Outcome { ALLOWED, BLOCKED, UNRESOLVED }

    /** The outcome and, when not allowed, a sentence saying why. */
    public record Verdict(Outcome outcome, String reason) {
        public boolean allowed() {
            return outcome == Outcome.ALLOWED;
        }
    }

    private final Set<String> allowedHosts;
    private final Resolver resolver;

    public EgressGuard(List<String> allowInternalHosts) {
        this(allowInternalHosts, InetAddress::getAllByName);
    }

    public EgressGuard(List<String> allowInternalHosts, Resolver resolver) {
        this.allowedHosts = allowInternalHosts.stream().map(EgressGuard::normalize).collect(Collectors.toUnmodifiableSet());
        this.resolver = resolver;
    }

    /** Whether the host was listed by the operator as an allowed internal host. */
    public boolean listed(String host) {
        return host != null && allowedHosts.contains(normalize(host));
    }

    public Verdict check(URI uri) {
        String host = uri.getHost();
        if (host == null || host.isEmpty()) {
            return new Verdict(Outcome.BLOCKED, "the URL has no host");
        }
        if (listed(host)) {
            return new Verdict(Outcome.ALLOWED, null);
        }
        if (internalLiteral(host)) {
            return new Verdict(Outcome.BLOCKED, "the host " + host + " is a non-public address; add it to"
                    + " EGRESS_ALLOW_INTERNAL_HOSTS to allow it");
        }
        InetAddress[] addresses;
        try {
            // the Docker host name means this machine's loopback when the server calls it: internal, like any loopback
            addresses = resolver.resolve(dev.appstrate.server.http.OutboundHttp.hostAddress(normalize(host)));
        } catch (UnknownHostException e) {
            return new Verdict(Outcome.UNRESOLVED, "the host " + host + " cannot be resolved");
        }
        for (InetAddress a : addresses) {
            if (isInternal(a)) {
                return new Verdict(Outcome.BLOCKED, "the host " + host + " resolves to the non-public address "
                        + a.getHostAddress() + "; add it to EGRESS_ALLOW_INTERNAL_HOSTS to allow it");
            }
        }
        return new Verdict(Outcome.ALLOWED, null);
    }

    /**
     * Whether a host is internal without asking DNS: {@code localhost} names and internal IP literals. A host that
     * looks numeric but is no plain IP literal (octal {@code 0177.0.0.1}, hex {@code 0x7f.1}) counts as internal, since
     * other clients read it as one.
     */
    public static boolean internalLiteral(String host) {
        if (host == null) {
            return true;
        }
        String h = normalize(host);
        if (h.equals("localhost") || h.endsWith(".localhost")) {
            return true;
        }
        if (NUMERIC_HOST.matcher(h).matches()) {
            for (String part : h.split("\\.")) {
                if (part.length() > 1 && part.startsWith("0")) {
                    return true; // octal or hex: Java reads 0177 as 177, curl and browsers as 127
                }
            }
        } else if (!h.contains(":")) {
            return false;
        }
        try {
            return isInternal(InetAddress.getByName(h));
        } catch (Exception e) {
            return true;
        }
    }

    private static final Pattern NUMERIC_HOST =
            Pattern.compile("^(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]*)){0,4}$");

    /**
     * Loopback, private (RFC 1918, ULA), link-local (incl. cloud metadata), CGNAT, multicast and reserved ranges; an IPv6
     * address embedding an IPv4 one (mapped, compatible, NAT64, 6to4, Teredo) is judged by the IPv4 address.
     */
    public static boolean isInternal(InetAddress a) {
        if (a.isAnyLocalAddress() || a.isLoopbackAddress() || a.isLinkLocalAddress() || a.isSiteLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            int b0 = b[0] & 0xff;
            int b1 = b[1] & 0xff;
            return b0 == 0                                   // "this" network
                    || (b0 == 100 && b1 >= 64 && b1 <= 127)  // carrier-grade NAT
                    || (b0 == 192 && b1 == 0 && (b[2] & 0xff) == 0) // IETF protocol assignments
                    || (b0 == 198 && (b1 == 18 || b1 == 19)) // benchmarking
                    || b0 >= 240;                            // reserved and broadcast
        }
        if (a instanceof Inet6Address) {
            if ((b[0] & 0xfe) == 0xfc) {
                return true; // unique local fc00::/7
            }
            if (startsWith(b, NAT64_LOCAL_USE)) {
                return true; // 64:ff9b:1::/48 translates into a local network by definition (RFC 8215)
            }
            byte[] v4 = embeddedV4(b);
            return v4 != null && isInternal(ipv4(v4));
        }
        return false;
    }

    /** 64:ff9b::/96, the NAT64 well-known prefix: the last four bytes are the IPv4 address the translator reaches. */
    private static final byte[] NAT64_WELL_KNOWN = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 0, 0, 0, 0, 0, 0, 0};
    private static final byte[] NAT64_LOCAL_USE = {0, 0x64, (byte) 0xff, (byte) 0x9b, 0, 1};
    private static final byte[] SIX_TO_FOUR = {0x20, 0x02};
    /** 2001::/32, Teredo (RFC 4380): the last four bytes are the client's IPv4 address XOR 0xffffffff. */
    private static final byte[] TEREDO = {0x20, 0x01, 0, 0};

    private static boolean startsWith(byte[] address, byte[] prefix) {
        for (int i = 0; i < prefix.length; i++) {
            if (address[i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /**
     * The IPv4 address an IPv6 one reaches, which judges it: mapped, compatible and NAT64 carry it in their last four
     * bytes, 6to4 (2002:AABB:CCDD::/48) in bytes 2 to 5, Teredo inverted in its last four; null when it embeds none.
     */
    private static byte[] embeddedV4(byte[] b) {
        if (isMappedOrCompatibleV4(b) || startsWith(b, NAT64_WELL_KNOWN)) {
            return Arrays.copyOfRange(b, 12, 16);
        }
        if (startsWith(b, SIX_TO_FOUR)) {
            return Arrays.copyOfRange(b, 2, 6);
        }
        if (startsWith(b, TEREDO)) {
            byte[] client = Arrays.copyOfRange(b, 12, 16);
            for (int i = 0; i < 4; i++) {
                client[i] = (byte) ~client[i]; // the relay delivers to the client's IPv4 address, stored XOR 0xffffffff
            }
            return client;
        }
        return null;
    }

    private static InetAddress ipv4(byte[] address) {
        try {
            return InetAddress.getByAddress(address);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e); // four bytes are always an IPv4 address
        }
    }

    private static boolean isMappedOrCompatibleV4(byte[] b) {
        for (int i = 0; i < 10; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return (b[10] == (byte) 0xff && b[11] == (byte) 0xff) || (b[10] == 0 && b[11] == 0);
    }

    private static String normalize(String host) {
        String h = host.trim().toLowerCase(Locale.ROOT);
        if (h.startsWith("[") && h.endsWith("]")) {
            h = h.substring(1, h.length() - 1);
        }
        return h.endsWith(".") ? h.substring(0, h.length() - 1) : h;
    }
}
