package dev.appstrate.server.config;

import dev.appstrate.server.store.DatabaseUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The server's whole configuration, validated once at boot. Immutable. */
public record ServerConfig(
        String betterAuthSecret,
        List<String> uploadSigningSecrets,
        byte[] connectionEncryptionKey,
        String connectionEncryptionKeyId,
        String appUrl,
        boolean appUrlExplicit,
        String nodeEnv,
        String host,
        int port,
        String logLevel,
        Path dataDir,
        String runAdapter,
        int sidecarPoolSize,
        RunLimits platformRunLimits,
        InlineRunLimits inlineRunLimits,
        long apiBodyLimitBytes,
        String ownerToken,
        List<String> egressAllowInternalHosts,
        String appVersion,
        String systemProviderKeys,
        int runStallThresholdSeconds,
        int runWatchdogIntervalSeconds,
        int runHeartbeatIntervalSeconds,
        String connectionEncryptionKeys,
        int scheduleCatchupMax,
        DockerSettings docker,
        List<String> runnerCommand,
        RedisUrl redisUrl,
        int instanceTimeoutSeconds,
        DatabaseUrl database) {

    public boolean production() {
        return "production".equals(nodeEnv);
    }

    /** PostgreSQL from DATABASE_URL, or empty for the embedded SQLite database. */
    public Optional<DatabaseUrl> databaseUrl() {
        return Optional.ofNullable(database);
    }

    public Path databaseFile() {
        return dataDir.resolve("appstrate.db");
    }

    public Path storageDir() {
        return dataDir.resolve("storage");
    }

    public Path runsDir() {
        return dataDir.resolve("runs");
    }

    /** True when REDIS_URL is set: several instances share queue claims, pub/sub, rate limits and run ownership. */
    public boolean sharedInfrastructure() {
        return redisUrl != null;
    }

    public Optional<String> ownerTokenFromEnv() {
        return Optional.ofNullable(ownerToken);
    }

    @Override
    public String toString() {
        // never print secrets
        return "ServerConfig[host=" + host + ", port=" + port + ", dataDir=" + dataDir + ", runAdapter=" + runAdapter + "]";
    }
}
