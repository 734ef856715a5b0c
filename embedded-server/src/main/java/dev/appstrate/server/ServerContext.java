package dev.appstrate.server;

import dev.appstrate.server.health.HealthRoutes;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.http.ServerState;
import dev.appstrate.server.store.Database;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * What a {@link ServerModule} gets at boot: configuration, clock, store, router, health checks,
 * and a small registry through which modules find each other's services (by type).
 */
public final class ServerContext {
    private final ServerConfig config;
    private final Clock clock;
    private final Database database;
    private final Router router;
    private final HealthRoutes health;
    private final AppstrateHandler handler;
    private final ServerState state;
    private final Consumer<AutoCloseable> onStop;
    private final Map<Class<?>, Object> services = new ConcurrentHashMap<>();
    private volatile String url;

    ServerContext(ServerConfig config, Clock clock, Database database, Router router, HealthRoutes health,
                  AppstrateHandler handler, ServerState state, Consumer<AutoCloseable> onStop, String url) {
        this.config = config;
        this.clock = clock;
        this.database = database;
        this.router = router;
        this.health = health;
        this.handler = handler;
        this.state = state;
        this.onStop = onStop;
        this.url = url;
    }

    public ServerConfig config() {
        return config;
    }

    public Clock clock() {
        return clock;
    }

    public Database database() {
        return database;
    }

    public Router router() {
        return router;
    }

    public HealthRoutes health() {
        return health;
    }

    /** The request pipeline, to install auth / app-context / rate-limit policies. */
    public AppstrateHandler handler() {
        return handler;
    }

    public ServerState state() {
        return state;
    }

    /** The URL the server is bound to, e.g. http://127.0.0.1:43121 (for runner callbacks). */
    public String url() {
        return url;
    }

    /** Registers something to close when the server stops (closed newest first). */
    public void onStop(AutoCloseable c) {
        onStop.accept(c);
    }

    public <T> void put(Class<T> type, T service) {
        services.put(type, service);
    }

    public <T> T get(Class<T> type) {
        Object s = services.get(type);
        if (s == null) {
            throw new IllegalStateException("no service " + type.getSimpleName() + " registered (module order?)");
        }
        return type.cast(s);
    }

    public <T> T find(Class<T> type) {
        return type.cast(services.get(type));
    }
}
