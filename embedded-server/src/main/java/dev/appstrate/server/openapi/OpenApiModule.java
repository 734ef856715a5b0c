package dev.appstrate.server.openapi;

import dev.appstrate.server.ServerContext;
import dev.appstrate.server.ServerModule;
import dev.appstrate.server.openapi.OpenApiRoutes;

/** {@code GET /api/openapi.json} and {@code GET /api/docs}; installed last, built from the router on first request. */
public final class OpenApiModule implements ServerModule {
    @Override
    public void install(ServerContext ctx) {
        new OpenApiRoutes(ctx.router(), ctx.config().appVersion()).register(ctx.router());
    }
}
