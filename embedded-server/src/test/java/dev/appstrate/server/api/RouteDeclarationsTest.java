package dev.appstrate.server.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.http.Route;
import dev.appstrate.server.tenancy.Scopes;
import dev.appstrate.server.testing.TestServer;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What each route declares (permission, application context) is what the server enforces, and nothing is missing. */
class RouteDeclarationsTest {
    @TempDir
    Path dir;

    @Test
    void everyRoutesPermissionIsAKnownScope() {
        try (TestServer s = TestServer.start(dir)) {
            List<String> unknown = new ArrayList<>();
            for (Route r : s.server().router().routes()) {
                if (r.permission() != null && !Scopes.ALL.contains(r.permission())) {
                    unknown.add(r.method() + " " + r.pattern() + " needs " + r.permission());
                }
            }
            assertEquals(List.of(), unknown, "add these permissions to Scopes (API_KEY_ALLOWED or USER_ONLY)");
        }
    }

    @Test
    void appScopedRoutesRefuseARequestWithoutApplicationAndOthersDoNotAskForOne() {
        try (TestServer s = TestServer.start(dir)) {
            int scoped = 0;
            for (Route r : s.server().router().routes()) {
                if (r.isPublic()) {
                    assertFalse(r.isAppScoped(), r.pattern() + ": a public route has no caller to take an application from");
                    continue;
                }
                if (!r.isAppScoped() && !r.method().equals("GET")) {
                    continue; // a mutating route outside an application would act (e.g. a Docker cleanup): reads suffice
                }
                String path = r.pattern().replaceAll("\\{[^}]+}", "x");
                HttpResponse<String> resp = s.send(r.method(), path, r.method().equals("GET") ? null : "{}", "X-App-Id", null);
                String code = TestServer.json(resp).path("code").asText("");
                String detail = r.method() + " " + r.pattern() + " → " + resp.statusCode() + " " + resp.body();
                if (r.isAppScoped()) {
                    scoped++;
                    assertEquals(400, resp.statusCode(), detail);
                    assertTrue(resp.body().contains("Application context required"), detail);
                } else {
                    assertFalse(resp.body().contains("Application context required"), detail);
                    assertNotEquals("internal_error", code, detail);
                }
            }
            assertTrue(scoped > 40, "the agent, run, schedule, webhook, key, end-user and connection routes are app-scoped");
        }
    }
}
