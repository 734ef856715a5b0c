package dev.appstrate.server.egress;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.secrets.AuthorizedUris;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One classifier of internal addresses: the egress guard's, which credential injection uses too. */
class InternalAddressTest {
    static final List<String> INTERNAL = List.of(
            "localhost", "api.localhost", "127.0.0.1", "[::1]", "0.0.0.0", "[::]",
            "10.0.0.1", "172.16.5.4", "192.168.1.1",          // RFC 1918
            "100.64.0.1", "100.127.255.254",                  // carrier-grade NAT 100.64.0.0/10
            "169.254.169.254", "[fe80::1]",                   // link-local, cloud metadata
            "224.0.0.1", "239.255.255.250", "[ff02::1]",      // multicast
            "[fc00::1]", "[fd12:3456::1]",                    // unique local fc00::/7
            "[::ffff:127.0.0.1]", "[::ffff:10.0.0.1]", "[::ffff:100.64.0.1]", // IPv4-mapped IPv6
            "[64:ff9b::a9fe:a9fe]", "[64:ff9b::127.0.0.1]", "[64:ff9b::10.1.2.3]", // NAT64 of metadata, loopback, RFC 1918
            "[64:ff9b:1::8.8.8.8]", "[64:ff9b:1:ab::1]",      // NAT64 local-use 64:ff9b:1::/48: a local network
            "[2002:a9fe:a9fe::1]", "[2002:7f00:1::]",         // 6to4 of metadata and loopback
            // Teredo 2001::/32, client IPv4 = last 32 bits XOR ffffffff: loopback, metadata, RFC 1918, this network
            "[2001:0:4136:e378:8000:63bf:80ff:fffe]", "[2001:0:4136:e378::5601:5601]", "[2001::f5ff:fffe]",
            "[2001:0:4136:e378:8000:63bf:ffff:ffff]",
            "255.255.255.255", "240.0.0.1",                   // reserved, broadcast
            "2130706433", "0177.0.0.1", "0x7f.0.0.1", "127.1" // numeric forms other clients read as loopback
    );
    static final List<String> PUBLIC = List.of(
            "example.com", "93.184.216.34", "8.8.8.8", "100.63.255.255", "100.128.0.1", "[2606:4700::1111]",
            "[::ffff:8.8.8.8]", "172.32.0.1", "[64:ff9b::8.8.8.8]", "[64:ff9b::5db8:d822]", "[2002:808:808::1]",
            "[2001:0:4136:e378:8000:63bf:f7f7:f7f7]",          // Teredo client 8.8.8.8
            "[2001:4860:4860::8888]");                         // 2001:4860:: is not Teredo 2001:0::/32

    @Test
    void theGuardsClassifierNamesEveryInternalRange() {
        for (String host : INTERNAL) {
            assertTrue(EgressGuard.internalLiteral(host), host + " is internal");
        }
        for (String host : PUBLIC) {
            assertFalse(EgressGuard.internalLiteral(host), host + " is public");
        }
    }

    @Test
    void theGuardRefusesEveryInternalLiteralBeforeAnyLookup() {
        EgressGuard guard = new EgressGuard(List.of(), host -> {
            throw new AssertionError("no lookup for a literal: " + host);
        });
        for (String host : INTERNAL) {
            assertFalse(guard.check(java.net.URI.create("https://" + host + "/hook")).allowed(), host);
        }
    }

    @Test
    void credentialInjectionUsesTheSameClassifier() {
        for (String host : INTERNAL) {
            assertTrue(AuthorizedUris.internalHost(host), host + " is internal for credential injection too");
        }
        for (String host : PUBLIC) {
            assertFalse(AuthorizedUris.internalHost(host), host);
        }
    }
}
