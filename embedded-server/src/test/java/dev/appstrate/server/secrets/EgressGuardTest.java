package dev.appstrate.server.secrets;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Credentials reach internal addresses only when EGRESS_ALLOW_INTERNAL_HOSTS names the host. */
class EgressGuardTest {
    @Test
    void internalAddressesAreRefusedUnlessListed() {
        EgressGuard none = new EgressGuard(List.of());
        for (String url : List.of("http://127.0.0.1:8080/x", "http://localhost/x", "http://10.1.2.3/", "http://192.168.1.1/",
                "http://172.16.0.9/", "http://169.254.169.254/latest/meta-data", "http://[::1]:9000/", "http://[fd00::1]/",
                "http://100.64.0.1/", "http://0.0.0.0/", "http://api.localhost/")) {
            String reason = none.refusal(URI.create(url));
            assertNotNull(reason, url);
            assertTrue(reason.contains("EGRESS_ALLOW_INTERNAL_HOSTS"), reason);
        }
        EgressGuard listed = new EgressGuard(List.of("127.0.0.1", "LOCALHOST", "[::1]"));
        assertNull(listed.refusal(URI.create("http://127.0.0.1:8080/x")));
        assertNull(listed.refusal(URI.create("http://localhost/x")));
        assertNull(listed.refusal(URI.create("http://[::1]:9000/")));
        assertNotNull(listed.refusal(URI.create("http://127.0.0.2/")), "only the listed host");
    }

    @Test
    void publicAddressesPass() {
        EgressGuard guard = new EgressGuard(null);
        assertNull(guard.refusal(URI.create("https://93.184.215.14/")));
        assertNull(guard.refusal(URI.create("http://[2606:4700::1111]/")));
        // a name that cannot be resolved is left to the HTTP client, which answers 502
        assertNull(guard.refusal(URI.create("https://does-not-exist.invalid/")));
    }
}
