package dev.appstrate.server.capabilities;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.http.ApiRequest;
import dev.appstrate.server.http.ApiResponse;
import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.http.Route;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.json.Json;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/**
 * {@code GET /api/capabilities}: what this server offers beyond the original's API and what the caller's credential
 * may do, asked once by the desktop app at connect. The original has no such route (404), which is how a client
 * tells the two apart; it never needs a scope, so any valid credential learns its own.
 */
public final class CapabilityRoutes {
    public static final String SERVER_NAME = "appstrate-desktop";

    private final Router router;
    private final String version;
    private final String database;

    /** @param router read at each answer: the extensions are what the registered routes declare ({@code Route.extension}) */
    public CapabilityRoutes(Router router, String version, String database) {
        this.router = router;
        this.version = version;
        this.database = database;
    }

    /** Our extensions a client may rely on, by the names the desktop's {@code Capability} uses, sorted. */
    public static List<String> extensions(Router router) {
        return router.routes().stream().map(Route::extension).filter(Objects::nonNull).distinct().sorted().toList();
    }

    public void register(Router r) {
        r.get("/api/capabilities", this::capabilities)
                .doc("Meta", "This server's extensions to the Appstrate API and the caller's scopes (not in the original)");
    }

    private ApiResponse capabilities(ApiRequest req) {
        AuthContext auth = req.auth();
        ObjectNode body = Json.object().put("server", SERVER_NAME).put("version", version).put("database", database);
        extensions(router).forEach(body.putArray("extensions")::add);
        ObjectNode credential = body.putObject("credential");
        credential.put("kind", auth.kind().name().toLowerCase());
        if (auth.kind() == AuthContext.Kind.API_KEY) {
            new TreeSet<>(auth.scopes()).forEach(credential.putArray("scopes")::add);
        } else {
            credential.putNull("scopes"); // the owner is not scope-limited
        }
        return ApiResponse.ok(body);
    }
}
