package dev.appstrate.server.config;

/** {@code PLATFORM_RUN_LIMITS}: caps applied to every run (defaults as in the original). */
public record RunLimits(
        int timeoutCeilingSeconds,
        int perOrgGlobalRatePerMin,
        int maxConcurrentPerOrg,
        int agentMemoryCeilingMb,
        double agentCpuCeiling) {

    public static final int DEFAULT_RUN_TIMEOUT_SECONDS = 300;

    public static RunLimits defaults() {
        return new RunLimits(1800, 200, 50, 1536, 2);
    }
}
