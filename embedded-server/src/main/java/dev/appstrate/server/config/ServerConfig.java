package dev.appstrate.server.config;

import dev.appstrate.server.store.DatabaseUrl;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The server's whole configuration, validated once at boot, grouped by concern. Immutable. */
public record ServerConfig(String nodeEnv, String logLevel, String appVersion, Network network, Storage storage,
                           Security security, Runner runner, Limits limits, Cluster cluster) {

    /** Where the server listens, the URL clients reach it at, and which internal hosts outbound calls may reach. */
    public record Network(String host, int port, String appUrl, boolean appUrlExplicit, List<String> egressAllowInternalHosts) {
    }

    /** The data folder and what lives in it; the database is PostgreSQL when DATABASE_URL is set (null: SQLite in the folder);
     *  s3 non-null when S3_BUCKET puts the files in a bucket instead. */
    public record Storage(Path dataDir, DatabaseUrl databaseUrl, S3Settings s3) {
        public Optional<DatabaseUrl> database() {
            return Optional.ofNullable(databaseUrl);
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
    }

    /** Secrets from the environment: session and upload signing, the key ring, the owner token, system provider keys. */
    public record Security(String betterAuthSecret, List<String> uploadSigningSecrets, byte[] connectionEncryptionKey,
                           String connectionEncryptionKeyId, String connectionEncryptionKeys, String ownerToken,
                           String systemProviderKeys) {
        public Optional<String> ownerTokenFromEnv() {
            return Optional.ofNullable(ownerToken);
        }

        @Override
        public String toString() {
            return "Security[…]"; // never print secrets
        }
    }

    /** How runs are executed (process or Docker) and watched. */
    public record Runner(String adapter, int sidecarPoolSize, DockerSettings docker, List<String> command,
                         int stallThresholdSeconds, int watchdogIntervalSeconds, int heartbeatIntervalSeconds,
                         int eventRouteWarmupRequests) {
    }

    /** Limits on runs, inline runs, request bodies and schedule catch-up. */
    public record Limits(RunLimits platformRuns, InlineRunLimits inlineRuns, long apiBodyBytes, int scheduleCatchupMax,
                         long documentMaxFileBytes) {
    }

    /** Several instances sharing one Redis (REDIS_URL); null redisUrl: this instance alone. */
    public record Cluster(RedisUrl redisUrl, int instanceTimeoutSeconds) {
    }

    public boolean production() {
        return "production".equals(nodeEnv);
    }

    /** True when REDIS_URL is set: several instances share queue claims, pub/sub, rate limits and run ownership. */
    public boolean sharedInfrastructure() {
        return cluster.redisUrl() != null;
    }

    @Override
    public String toString() {
        // never print secrets
        return "ServerConfig[host=" + network.host() + ", port=" + network.port() + ", dataDir=" + storage.dataDir()
                + ", runAdapter=" + runner.adapter() + "]";
    }
}
