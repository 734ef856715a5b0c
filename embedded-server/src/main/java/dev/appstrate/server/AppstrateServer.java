package dev.appstrate.server;

import dev.appstrate.server.health.HealthRoutes;
import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.http.AppstrateHandler;
import dev.appstrate.server.http.HostGuard;
import dev.appstrate.server.http.Router;
import dev.appstrate.server.http.ServerState;
import dev.appstrate.server.redis.SharedRedis;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.storage.BlobStores;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.SqliteDatabase;
import dev.appstrate.server.store.SqliteNativeLibrary;
import java.io.IOException;
import java.net.BindException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.UUID;
import org.eclipse.jetty.server.HttpConfiguration;
import dev.appstrate.server.http.ProblemErrorHandler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Appstrate server as a lifecycle object: {@link #start()} binds (port 0 allowed) and boots,
 * {@link #port()} reads the bound port back, {@link #stop()} is graceful and idempotent. The
 * desktop app embeds it; {@link Main} runs it headless.
 */
public final class AppstrateServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AppstrateServer.class);
    private static final long STOP_TIMEOUT_MS = 10_000;
    private static final int DB_POOL_SIZE = 10;

    private final ServerConfig config;
    private final Clock clock;
    private static final String JETTY_REFS_PER_CACHE_LINE = "org.eclipse.jetty.util.referencesPerCacheLine";
    private final ServerState state = new ServerState();
    private final Router router = new Router();
    /** Things to close on stop, newest first. */
    private final Deque<AutoCloseable> closeables = new ArrayDeque<>();
    private Runnable beforeReady = () -> { };
    private Server jetty;
    private ServerConnector connector;
    private AppstrateHandler handler;
    private HealthRoutes health;
    private volatile Database database;
    private volatile String url;
    private volatile ServerComponents components;
    private volatile int migrationsApplied;
    private boolean started;
    private boolean stopped;
    private volatile java.time.Duration stoppedWith;

    public AppstrateServer(ServerConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
    }

    /** A step run after boot and before the server reports ready; tests use it to observe the 503 phase. */
    public AppstrateServer beforeReady(Runnable hook) {
        this.beforeReady = hook;
        return this;
    }

    public synchronized AppstrateServer start() {
        if (started) {
            throw new IllegalStateException("already started");
        }
        started = true;
        long t0 = System.nanoTime();
        if (config.storage().database().isEmpty()) {
            // the driver's classes and native library load beside Jetty's start instead of after it
            NamedExecutors.thread("sqlite-warm-up", SqliteDatabase::loadDriver).start();
        }
        Instant startedAt = clock.instant();
        ownerOnlyDir(config.storage().dataDir());
        DataFolderLock folderLock = DataFolderLock.acquire(config.storage().dataDir());
        closeables.push(folderLock);
        // registered before the port opens: /health answers 503 "starting" from the first accepted connection
        health = new HealthRoutes(state, () -> database, clock, startedAt, config.appVersion(),
                req -> handler != null && handler.authenticates(req));
        health.register(router);
        try {
            bind();
        } catch (RuntimeException e) {
            folderLock.close();
            closeables.clear();
            throw e;
        }
        folderLock.record(String.valueOf(port()));
        LOG.info("Server listening (starting up) port={}", port());
        try {
            boot();
            beforeReady.run();
            state.ready();
        } catch (RuntimeException e) {
            stop();
            throw e;
        }
        components.afterReady();
        if (database instanceof SqliteDatabase) {
            NamedExecutors.thread("sqlite-native-cache", SqliteNativeLibrary::rememberForNextBoot).start();
        }
        LOG.info("Server ready url={} startupMs={}", url, (System.nanoTime() - t0) / 1_000_000);
        return this;
    }

    private void bind() {
        // without it Jetty starts the platform MBean server to ask whether oops are compressed (~250 ms of boot);
        // 16 four-byte references per 64-byte cache line is the answer for every heap under 32 GB
        if (System.getProperty(JETTY_REFS_PER_CACHE_LINE) == null) {
            System.setProperty(JETTY_REFS_PER_CACHE_LINE, "16");
        }
        QueuedThreadPool pool = new QueuedThreadPool(200, 4, 60_000);
        pool.setName("http");
        jetty = new Server(pool);
        jetty.setErrorHandler(new ProblemErrorHandler());
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        connector = new ServerConnector(jetty, 1, 1, new HttpConnectionFactory(http));
        connector.setHost(config.network().host());
        connector.setPort(config.network().port());
        connector.setIdleTimeout(255_000);
        jetty.addConnector(connector);
        handler = new AppstrateHandler(router, state, new HostGuard(config.network().host(), hostOf(config.network().appUrl())),
                config.limits().apiBodyBytes(), null);
        GracefulHandler graceful = new GracefulHandler(handler);
        jetty.setHandler(graceful);
        jetty.setStopTimeout(STOP_TIMEOUT_MS);
        jetty.setStopAtShutdown(false);
        try {
            jetty.start();
        } catch (Exception e) {
            try {
                jetty.stop();
            } catch (Exception ignored) {
                // already failing
            }
            if (e instanceof BindException || e.getCause() instanceof BindException
                    || (e instanceof IOException && String.valueOf(e.getMessage()).contains("bind"))) {
                throw new BindFailedException(config.network().host(), config.network().port(), e);
            }
            throw new IllegalStateException("Cannot start the HTTP server: " + e.getMessage(), e);
        }
        String shownHost = config.network().host().equals("0.0.0.0") ? "127.0.0.1" : config.network().host();
        url = "http://" + (shownHost.contains(":") ? "[" + shownHost + "]" : shownHost) + ":" + port();
    }

    private void boot() {
        Path dataDir = config.storage().dataDir();
        ownerOnlyDir(dataDir);
        Database db = openDatabase();
        closeables.push(db);
        this.database = db;
        int applied = Migrations.apply(db, clock);
        migrationsApplied = applied;
        LOG.info(applied == 0 ? "Database schema up to date" : "Core migrations applied count={}", applied);
        ownerOnlyDir(config.storage().storageDir());
        ownerOnlyDir(config.storage().runsDir());
        BlobStore blobs = openStorage();
        SharedRedis redis = connectRedis();
        LOG.debug("Adapter selection: RUN_ADAPTER={} SIDECAR_POOL_SIZE={}", config.runner().adapter(), config.runner().sidecarPoolSize());
        if (config.runner().adapter().equals("process")) {
            LOG.warn("Run adapter: process - agents run as local subprocesses with no network or filesystem isolation. "
                    + "Fine for development, not for production: set RUN_ADAPTER=docker for container isolation.");
        } else {
            LOG.info("Run adapter: docker sidecarPoolSize={}", config.runner().sidecarPoolSize());
        }
        long c0 = System.nanoTime();
        components = new ServerComponents(new ServerComponents.Infrastructure(config, clock, db, router, health, handler, state,
                url, this::onStop, redis, blobs));
        LOG.debug("Components built ms={}", (System.nanoTime() - c0) / 1_000_000);
        components.afterBoot();
    }

    /** S3_BUCKET set: checks the bucket (exit 1 with a how-to when unreachable); unset: DATA_DIR/storage. */
    private BlobStore openStorage() {
        BlobStore blobs = BlobStores.open(config.storage());
        if (blobs instanceof AutoCloseable c) {
            closeables.push(c);
        }
        LOG.info("Storage: {}", blobs.describe());
        LOG.debug("Adapter selection: {}", config.storage().s3() == null ? "S3_BUCKET unset -> files in the data folder"
                : "S3_BUCKET set -> package bundles in the bucket (" + config.storage().s3() + ")");
        return blobs;
    }

    /** PostgreSQL when DATABASE_URL is set (an unreachable one fails the boot), else SQLite in the data folder. */
    private Database openDatabase() {
        if (config.storage().database().isPresent()) {
            DatabaseUrl url = config.storage().database().get();
            LOG.debug("Database selection: DATABASE_URL is set ({}) -> PostgreSQL", url.masked());
            PostgresDatabase db = PostgresDatabase.connect(url, DB_POOL_SIZE);
            LOG.info("Database: {} ({})", db.kind(), db.location());
            return db;
        }
        LOG.debug("Database selection: DATABASE_URL unset -> SQLite (embedded) in DATA_DIR");
        SqliteDatabase db = new SqliteDatabase(config.storage().databaseFile());
        LOG.info("Database: {} path={}", db.kind(), db.location());
        return db;
    }

    /** REDIS_URL set: connects (exit 1 with a how-to when unreachable) and says so; unset: the in-process adapters. */
    private SharedRedis connectRedis() {
        if (config.cluster().redisUrl() == null) {
            LOG.info("Infrastructure mode: local (queue, pubsub, cache, rateLimit) - one instance; schedules and webhook "
                    + "deliveries are durable in the database");
            LOG.debug("Adapter selection: REDIS_URL unset -> in-process pub/sub, idempotency cache and rate limiter; queue claims "
                    + "in the database");
            return null;
        }
        SharedRedis redis = SharedRedis.connect(config.cluster().redisUrl(), "inst_" + UUID.randomUUID().toString().substring(0, 12));
        closeables.push(redis);
        LOG.info("Infrastructure mode: redis (queue, pubsub, cache, rateLimit) url={} instanceId={}", config.cluster().redisUrl().masked(),
                redis.instanceId());
        LOG.debug("Adapter selection: REDIS_URL set -> run events over Redis pub/sub, shared idempotency keys and rate limits, "
                + "run ownership with instance heartbeats (INSTANCE_TIMEOUT_SECONDS={}); schedule fires and webhook deliveries "
                + "stay durable in the database, claimed there and polled by every instance", config.cluster().instanceTimeoutSeconds());
        return redis;
    }

    /** Every service of the server, as the composition root built them; null before start. */
    public ServerComponents components() {
        return components;
    }

    private static void ownerOnlyDir(Path dir) {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system (Windows): the per-user profile folder already restricts access
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot create the data folder " + dir + ": " + e.getMessage()
                    + ". Set DATA_DIR to a writable folder.", e);
        }
    }

    private static String hostOf(String appUrl) {
        try {
            return URI.create(appUrl).getHost();
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Server-sent event streams open now (each holds a connection, not a thread). */
    public int openEventStreams() {
        return handler == null ? 0 : handler.streams().openCount();
    }

    /** The most bytes one open event stream has queued for its client now (bounded by {@code SseStreams.QUEUE_BYTES}). */
    public long eventStreamLargestQueuedBytes() {
        return handler == null ? 0 : handler.streams().largestQueuedBytes();
    }

    /** How many migrations this boot applied (0 on every boot after the first of a version). */
    public int migrationsApplied() {
        return migrationsApplied;
    }

    public int port() {
        return connector.getLocalPort();
    }

    /** The URL this server is reachable at, e.g. http://127.0.0.1:3000. */
    public String url() {
        return url;
    }

    public ServerConfig config() {
        return config;
    }

    public Database database() {
        return database;
    }

    public Router router() {
        return router;
    }

    public ServerState state() {
        return state;
    }

    /** The grace this server's stop gave in-flight requests; empty until it stops (the desktop's quit gives its own). */
    public java.util.Optional<java.time.Duration> stoppedWith() {
        return java.util.Optional.ofNullable(stoppedWith);
    }

    /** Graceful stop: refuse new mutating requests, let in-flight ones finish (up to 10 s), close the store. Idempotent. */
    public void stop() {
        stop(java.time.Duration.ofMillis(STOP_TIMEOUT_MS));
    }

    /**
     * The same, giving in-flight requests {@code grace} to finish: a desktop that quits gives little, since what is
     * still in flight then is mostly a runner's model call, and the run ends at the next boot either way (boot
     * recovery); events already answered are committed, and queued ones are written when the log writer closes.
     */
    public synchronized void stop(java.time.Duration grace) {
        if (stopped || !started) {
            stopped = true;
            return;
        }
        stopped = true;
        stoppedWith = grace;
        LOG.info("Shutdown initiated grace_ms={}", grace.toMillis());
        state.shuttingDown();
        if (handler != null) {
            handler.streams().close(); // open event streams end now instead of holding the graceful stop
        }
        if (components != null) {
            components.inFlightRuns().abortModelCalls(); // so do runners' model calls: they would hold it for its whole grace
        }
        if (jetty != null) {
            try {
                jetty.setStopTimeout(Math.max(0, grace.toMillis()));
                jetty.stop();
            } catch (Exception e) {
                LOG.warn("HTTP server did not stop cleanly: {}", e.toString());
            }
        }
        LOG.info("Closing database and background workers...");
        while (!closeables.isEmpty()) {
            AutoCloseable c = closeables.pop();
            try {
                c.close();
            } catch (Exception e) {
                LOG.warn("Close failed component={} error={}", c.getClass().getSimpleName(), e.toString());
            }
        }
        LOG.info("Shutdown complete");
    }

    /** Registers something to close on stop (executors, pools), closed in reverse order. */
    public synchronized void onStop(AutoCloseable c) {
        closeables.push(c);
    }

    /** Blocks until the HTTP server has stopped. */
    public void join() throws InterruptedException {
        jetty.join();
    }

    @Override
    public void close() {
        stop();
    }
}
