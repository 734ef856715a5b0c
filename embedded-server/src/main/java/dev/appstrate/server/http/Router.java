package dev.appstrate.server.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Method + pattern routing. Literal segments win over parameters, so /runs/{id}/events beats /runs/{id}/{x}. */
public final class Router {
    /** A matched route with its path parameters. */
    public record Match(Route route, Map<String, String> params) {
    }

    private final List<Route> byLiterals = new ArrayList<>();
    private volatile List<Route> sorted = List.of();

    public Route get(String pattern, RouteHandler h) {
        return add("GET", pattern, h);
    }

    public Route post(String pattern, RouteHandler h) {
        return add("POST", pattern, h);
    }

    public Route put(String pattern, RouteHandler h) {
        return add("PUT", pattern, h);
    }

    public Route patch(String pattern, RouteHandler h) {
        return add("PATCH", pattern, h);
    }

    public Route delete(String pattern, RouteHandler h) {
        return add("DELETE", pattern, h);
    }

    public synchronized Route add(String method, String pattern, RouteHandler h) {
        Route r = new Route(method, pattern, h);
        // after every route with as many literals or more: the stable sort's order, without re-sorting on each of ~120 adds at boot
        int at = 0;
        while (at < byLiterals.size() && byLiterals.get(at).literalCount() >= r.literalCount()) {
            at++;
        }
        byLiterals.add(at, r);
        sorted = List.copyOf(byLiterals);
        return r;
    }

    public List<Route> routes() {
        return sorted;
    }

    /** The route for this method and path; null when none. {@code methodExists} tells 405 from 404. */
    public Match match(String method, String path) {
        String[] segs = Route.split(path);
        for (Route r : sorted) {
            if (!r.method().equals(method) && !("HEAD".equals(method) && "GET".equals(r.method()))) {
                continue;
            }
            Map<String, String> params = r.match(segs);
            if (params != null) {
                return new Match(r, params);
            }
        }
        return null;
    }

    /** Methods served at this path, for 405 and its Allow header. */
    public List<String> allowedMethods(String path) {
        String[] segs = Route.split(path);
        List<String> out = new ArrayList<>();
        for (Route r : sorted) {
            if (r.match(segs) != null && !out.contains(r.method())) {
                out.add(r.method());
            }
        }
        return out;
    }
}
