package dev.appstrate.server;

/**
 * One concern of the server (tenancy, packages, runs, schedules, …). Modules are installed at boot
 * in the order listed in {@link ServerModules}; each registers its routes, services and stop hooks.
 */
public interface ServerModule {
    void install(ServerContext context);

    /** Runs after every module is installed, still before the server reports ready (recovery, workers). */
    default void afterInstall(ServerContext context) {
    }
}
