package dev.appstrate.server;

import dev.appstrate.server.concurrent.NamedExecutors;
import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.logging.LogSetup;
import dev.appstrate.server.redis.RedisUnavailableException;
import dev.appstrate.server.storage.StorageUnavailableException;
import dev.appstrate.server.secrets.RotateKeyCommand;
import dev.appstrate.server.datamove.MoveDataCommand;
import dev.appstrate.server.store.DatabaseUnavailableException;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Headless entry point: {@code java -jar appstrate-server.jar}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) throws InterruptedException {
        if (args.length > 0 && args[0].equals(RotateKeyCommand.NAME)) {
            System.exit(RotateKeyCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out, System.err));
            return;
        }
        if (args.length > 0 && args[0].equals(MoveDataCommand.NAME)) {
            System.exit(MoveDataCommand.run(List.of(args).subList(1, args.length), System.getenv(), System.out, System.err));
            return;
        }
        // Jetty's first Server asks for every available locale (≈1,000 language tags parsed, 60-100 ms): done beside the boot
        NamedExecutors.thread("locale-warm-up", Locale::getAvailableLocales).start();
        AtomicReference<AppstrateServer> running = new AtomicReference<>();
        AtomicBoolean exiting = new AtomicBoolean();
        Runnable graceful = () -> {
            if (exiting.compareAndSet(false, true)) {
                AppstrateServer s = running.get();
                if (s != null) {
                    s.stop();
                }
                System.exit(0);
            }
        };
        // SIGTERM/SIGINT are a normal stop: exit 0 after a graceful shutdown, not 143; installed before boot so none is missed
        Signal.handle(new Signal("TERM"), sig -> new Thread(graceful, "shutdown").start());
        Signal.handle(new Signal("INT"), sig -> new Thread(graceful, "shutdown").start());
        AppstrateServer server = startFromEnvironment();
        if (server == null) {
            System.exit(1);
            return;
        }
        running.set(server);
        if (exiting.get()) {
            server.stop();
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(server::stop, "shutdown-hook"));
        server.join();
    }

    /** Validates the environment and starts the server; on a user error prints it and returns null. */
    public static AppstrateServer startFromEnvironment() {
        ServerConfig config;
        try {
            config = EnvConfigLoader.load(System.getenv());
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return null;
        }
        LogSetup.level(config.logLevel());
        AppstrateServer server = new AppstrateServer(config, Clock.systemUTC());
        try {
            return server.start();
        } catch (BindFailedException | DataFolderInUseException | DatabaseUnavailableException
                | RedisUnavailableException | StorageUnavailableException e) {
            System.err.println(e.getMessage());
            return null;
        } catch (RuntimeException e) {
            LoggerFactory.getLogger(Main.class).error("Boot failed — exiting: {}", e.getMessage(), e);
            System.err.println("Boot failed: " + e.getMessage());
            return null;
        }
    }
}
