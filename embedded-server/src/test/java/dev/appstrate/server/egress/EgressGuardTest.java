package dev.appstrate.server.egress;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class EgressGuardTest {
    private final EgressGuard none = new EgressGuard(List.of());

    private static EgressGuard.Outcome check(EgressGuard g, String url) {
        return g.check(URI.create(url)).outcome();
    }

    @Test
    void loopbackIsRefusedByDefault() {
        assertEquals(EgressGuard.Outcome.BLOCKED, check(none, "http://127.0.0.1:8080/hook"));
        assertEquals(EgressGuard.Outcome.BLOCKED, check(none, "http://localhost:8080/hook"));
        assertEquals(EgressGuard.Outcome.BLOCKED, check(none, "http://[::1]/hook"));
        assertTrue(none.check(URI.create("http://127.0.0.1/")).reason().contains("EGRESS_ALLOW_INTERNAL_HOSTS"));
    }

    @Test
    void aListedHostIsAllowed() {
        EgressGuard g = new EgressGuard(List.of("localhost", "127.0.0.1", "[::1]"));
        assertEquals(EgressGuard.Outcome.ALLOWED, check(g, "http://localhost:8080/hook"));
        assertEquals(EgressGuard.Outcome.ALLOWED, check(g, "http://LOCALHOST./hook"));
        assertEquals(EgressGuard.Outcome.ALLOWED, check(g, "http://127.0.0.1:9/hook"));
        assertEquals(EgressGuard.Outcome.ALLOWED, check(g, "http://[::1]:9/hook"));
        assertEquals(EgressGuard.Outcome.BLOCKED, check(g, "http://10.0.0.1/hook"), "only the listed hosts");
    }

    @Test
    void privateLinkLocalAndReservedRangesAreRefused() {
        for (String host : List.of("10.1.2.3", "172.16.0.1", "192.168.1.10", "169.254.169.254", "100.64.0.1", "0.0.0.0",
                "224.0.0.1", "255.255.255.255", "[fd00::1]", "[fe80::1]", "[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]")) {
            assertEquals(EgressGuard.Outcome.BLOCKED, check(none, "https://" + host + "/x"), host);
        }
    }

    @Test
    void publicAddressesAndNamesThatResolveToThemAreAllowed() throws Exception {
        assertEquals(EgressGuard.Outcome.ALLOWED, check(none, "https://93.184.215.14/x"));
        assertEquals(EgressGuard.Outcome.ALLOWED, check(none, "https://[2606:4700::1111]/x"));
        EgressGuard.Resolver dns = host -> host.equals("hooks.example.com")
                ? new InetAddress[] {InetAddress.getByName("93.184.215.14")}
                : new InetAddress[] {InetAddress.getByName("192.168.0.5")};
        EgressGuard g = new EgressGuard(List.of(), dns);
        assertEquals(EgressGuard.Outcome.ALLOWED, check(g, "https://hooks.example.com/x"));
        assertEquals(EgressGuard.Outcome.BLOCKED, check(g, "https://intranet.example.com/x"), "a name resolving inside");
    }
}
