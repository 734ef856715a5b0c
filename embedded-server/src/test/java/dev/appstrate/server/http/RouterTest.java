package dev.appstrate.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {
    private static final RouteHandler NONE = request -> null;

    @Test
    void literalSegmentsWinWhateverTheRegistrationOrder() {
        Router router = new Router();
        Route any = router.get("/api/runs/{id}/{part}", NONE);
        Route logs = router.get("/api/runs/{id}/logs", NONE);
        Route one = router.get("/api/runs/{id}", NONE);

        assertSame(logs, router.match("GET", "/api/runs/r1/logs").route());
        assertSame(any, router.match("GET", "/api/runs/r1/other").route());
        assertEquals(Map.of("id", "r1", "part", "other"), router.match("GET", "/api/runs/r1/other").params());
        assertSame(one, router.match("HEAD", "/api/runs/r1").route());
        assertNull(router.match("POST", "/api/runs/r1"));
        assertEquals(List.of("GET"), router.allowedMethods("/api/runs/r1/logs"));
    }

    @Test
    void routesWithAsManyLiteralsKeepTheirRegistrationOrder() {
        Router router = new Router();
        Route a = router.get("/a/{x}", NONE);
        Route b = router.post("/b/{x}/c", NONE);
        Route c = router.get("/{y}", NONE);
        Route d = router.get("/d/{x}", NONE);
        Route e = router.put("/e/f/g", NONE);
        Route f = router.get("/{x}/{y}", NONE);

        // the order a stable sort by literal count, most first, gives: 3, 2, then 1 in registration order, then 0
        assertEquals(List.of(e, b, a, d, c, f), router.routes());
        assertSame(a, router.match("GET", "/a/b").route());
        assertSame(f, router.match("GET", "/x/y").route());
    }
}
