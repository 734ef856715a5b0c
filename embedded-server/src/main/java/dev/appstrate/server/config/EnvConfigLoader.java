package dev.appstrate.server.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.store.DatabaseUrl;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * Reads and validates environment variables into one {@link ServerConfig}. Every problem is
 * collected and reported together, as the original does, so a user fixes them in one pass.
 */
public final class EnvConfigLoader {
    static final String GENERATE = "Generate one with: openssl rand -base64 32";
    /** Requests the event-route warm-up sends after ready unless EVENT_ROUTE_WARMUP_REQUESTS says otherwise. */
    public static final int EVENT_ROUTE_WARMUP_DEFAULT = 1000;
    private static final Pattern HAS_SCHEME = Pattern.compile("^[A-Za-z][A-Za-z0-9+.-]*://.*");
    private static final Pattern KEY_ID = Pattern.compile("^[A-Za-z0-9_-]{1,32}$");
    private static final Set<String> LOG_LEVELS = Set.of("debug", "info", "warn", "error");
    private static final Set<String> NODE_ENVS = Set.of("development", "production", "test");
    private static final Set<String> RUN_ADAPTERS = Set.of("process", "docker");

    private final Function<String, String> env;
    private final List<String> problems = new ArrayList<>();

    private EnvConfigLoader(Function<String, String> env) {
        // the original coalesces "" to undefined so defaults apply; do the same
        this.env = name -> {
            String v = env.apply(name);
            return v == null || v.isEmpty() ? null : v;
        };
    }

    public static ServerConfig load(Map<String, String> environment) {
        return new EnvConfigLoader(environment::get).build();
    }

    private ServerConfig build() {
        String authSecret = required("BETTER_AUTH_SECRET",
                "required: the session signing secret (any non-empty string). " + GENERATE);
        List<String> uploadSecrets = keyring("UPLOAD_SIGNING_SECRET");
        byte[] encryptionKey = encryptionKey();
        String keyId = orDefault("CONNECTION_ENCRYPTION_KEY_ID", "k1");
        if (!KEY_ID.matcher(keyId).matches()) {
            problems.add("CONNECTION_ENCRYPTION_KEY_ID: must match /^[A-Za-z0-9_-]{1,32}$/ (for example k1 or k2)");
        }

        String nodeEnv = oneOf("NODE_ENV", "development", NODE_ENVS);
        int port = intInRange("PORT", 3000, 0, 65535, "a TCP port from 0 to 65535 (0 picks a free port)");
        String host = orDefault("HOST", "127.0.0.1");
        String appUrlRaw = env.apply("APP_URL");
        String appUrl = appUrl(appUrlRaw, nodeEnv, port);
        String logLevel = oneOf("LOG_LEVEL", "info", LOG_LEVELS);
        Path dataDir = Path.of(orDefault("DATA_DIR", "./data")).toAbsolutePath().normalize();
        String runAdapter = orDefault("RUN_ADAPTER", "process");
        if (!RUN_ADAPTERS.contains(runAdapter)) {
            problems.add("RUN_ADAPTER: Unknown RUN_ADAPTER \"" + runAdapter
                    + "\" — registered orchestrators: docker, process");
        }
        int sidecarPool = intInRange("SIDECAR_POOL_SIZE", "docker".equals(runAdapter) ? 2 : 0, 0, 32,
                "a whole number from 0 to 32 (0 creates a fresh sidecar per run)");
        RunLimits runLimits = platformRunLimits();
        InlineRunLimits inlineLimits = inlineRunLimits();
        long bodyLimit = intInRange("API_BODY_LIMIT_BYTES", 10_485_760, 1024, Integer.MAX_VALUE, "a size in bytes");
        // the original's name and default (100 MiB): a runner's document upload streams to storage, outside API_BODY_LIMIT_BYTES
        long documentMaxFileBytes = intInRange("DOCUMENT_MAX_FILE_BYTES", 104_857_600, 1, Integer.MAX_VALUE, "a size in bytes");

        DatabaseUrl database = null;
        String databaseUrl = env.apply("DATABASE_URL");
        if (databaseUrl != null) {
            try {
                database = DatabaseUrl.parse(databaseUrl.trim());
            } catch (IllegalArgumentException e) {
                problems.add("DATABASE_URL: " + e.getMessage());
            }
        }
        S3Settings s3 = S3Settings.read(env, problems);
        RedisUrl redisUrl = null;
        if (env.apply("REDIS_URL") != null && !env.apply("REDIS_URL").isBlank()) {
            try {
                redisUrl = RedisUrl.parse(env.apply("REDIS_URL"));
            } catch (IllegalArgumentException e) {
                problems.add("REDIS_URL: " + e.getMessage());
            }
        }
        int instanceTimeout = intInRange("INSTANCE_TIMEOUT_SECONDS", 30, 3, 3600,
                "a number of seconds (an instance silent this long is presumed dead and its runs failed)");
        String ownerToken = env.apply("APPSTRATE_OWNER_TOKEN");
        if (ownerToken != null && ownerToken.length() < 16) {
            problems.add("APPSTRATE_OWNER_TOKEN: must be at least 16 characters. " + GENERATE);
        }
        List<String> egress = csv(env.apply("EGRESS_ALLOW_INTERNAL_HOSTS"));
        String version = orDefault("APP_VERSION", Version.current());
        String providerKeys = env.apply("SYSTEM_PROVIDER_KEYS");
        if (providerKeys != null) {
            try {
                SystemProviderKeys.parse(providerKeys);
            } catch (IllegalArgumentException e) {
                problems.add("SYSTEM_PROVIDER_KEYS: " + e.getMessage().replaceFirst("^SYSTEM_PROVIDER_KEYS:? ?", ""));
            }
        }
        int stall = intInRange("RUN_STALL_THRESHOLD_SECONDS", 60, 1, 86_400, "a number of seconds");
        int watchdog = intInRange("RUN_WATCHDOG_INTERVAL_SECONDS", 15, 1, 3600, "a number of seconds");
        int heartbeat = intInRange("RUN_HEARTBEAT_INTERVAL_SECONDS", 30, 1, 3600, "a number of seconds");
        int warmup = intInRange("EVENT_ROUTE_WARMUP_REQUESTS", EVENT_ROUTE_WARMUP_DEFAULT, 0, 100_000, "a whole number of requests (0: none)");
        int catchUp = intInRange("SCHEDULE_CATCHUP_MAX", 1, 0, 100,
                "a whole number from 0 to 100 (missed occurrences started after downtime)");
        DockerSettings docker = dockerSettings();
        List<String> runnerCommand = RunnerCommand.parse(env.apply("RUNNER_COMMAND"));
        if (env.apply("RUNNER_COMMAND") != null && runnerCommand.isEmpty()) {
            problems.add("RUNNER_COMMAND: must name a program, e.g. bun run /path/to/runtime-pi/entrypoint.ts (got an empty value)");
        }

        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new ServerConfig(nodeEnv, logLevel, version,
                new ServerConfig.Network(host, port, appUrl, appUrlRaw != null, egress),
                new ServerConfig.Storage(dataDir, database, s3),
                new ServerConfig.Security(authSecret, uploadSecrets, encryptionKey, keyId, env.apply("CONNECTION_ENCRYPTION_KEYS"),
                        ownerToken, providerKeys),
                new ServerConfig.Runner(runAdapter, sidecarPool, docker, runnerCommand, stall, watchdog, heartbeat, warmup),
                new ServerConfig.Limits(runLimits, inlineLimits, bodyLimit, catchUp, documentMaxFileBytes),
                new ServerConfig.Cluster(redisUrl, instanceTimeout));
    }

    private DockerSettings dockerSettings() {
        String host = env.apply("DOCKER_HOST");
        if (host != null && !host.matches("^(unix|tcp|npipe)://.+")) {
            problems.add("DOCKER_HOST: must be unix:///path/to/docker.sock, tcp://host:port or npipe:////./pipe/name (got \""
                    + host + "\")");
        }
        String platformUrl = env.apply("PLATFORM_API_URL");
        if (platformUrl != null && !platformUrl.matches("^https?://[^/]+.*")) {
            problems.add("PLATFORM_API_URL: must be an http(s) URL containers can reach this server at (got \""
                    + platformUrl + "\")");
        }
        return new DockerSettings(host, orDefault("PI_IMAGE", DockerSettings.LOCAL_RUNNER_IMAGE),
                orDefault("SIDECAR_IMAGE", DockerSettings.LOCAL_SIDECAR_IMAGE), platformUrl);
    }

    private String required(String name, String message) {
        String v = env.apply(name);
        if (v == null) {
            problems.add(name + ": " + message);
        }
        return v;
    }

    private String orDefault(String name, String def) {
        String v = env.apply(name);
        return v == null ? def : v;
    }

    private String oneOf(String name, String def, Set<String> allowed) {
        String v = orDefault(name, def);
        if (!allowed.contains(v)) {
            problems.add(name + ": must be one of " + String.join(", ", allowed.stream().sorted().toList())
                    + " (got \"" + v + "\")");
            return def;
        }
        return v;
    }

    private int intInRange(String name, int def, int min, int max, String what) {
        String v = env.apply(name);
        if (v == null) {
            return def;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException ignored) {
            // reported below
        }
        problems.add(name + ": must be " + what + " (got \"" + v + "\")");
        return def;
    }

    private List<String> keyring(String name) {
        String v = env.apply(name);
        if (v == null) {
            problems.add(name + ": required: at least 16 characters (a comma-separated list of keys rotates them). " + GENERATE);
            return List.of();
        }
        List<String> keys = Arrays.stream(v.split(",")).map(String::trim).toList();
        for (int i = 0; i < keys.size(); i++) {
            if (keys.get(i).length() < 16) {
                problems.add(name + ": each comma-separated key must be at least 16 chars (key " + (i + 1)
                        + " has " + keys.get(i).length() + "). " + GENERATE);
                break;
            }
        }
        return keys;
    }

    private byte[] encryptionKey() {
        String name = "CONNECTION_ENCRYPTION_KEY";
        String v = env.apply(name);
        if (v == null) {
            problems.add(name + ": required: exactly 32 bytes, base64-encoded (AES-256 for stored credentials). " + GENERATE);
            return null;
        }
        byte[] key = decodeBase64(v.trim());
        if (key == null) {
            problems.add(name + ": must be 32 bytes (256-bit) base64-encoded, but it is not valid base64. " + GENERATE);
            return null;
        }
        if (key.length != 32) {
            problems.add(name + ": must be 32 bytes (256-bit) base64-encoded, but it decodes to " + key.length
                    + " bytes. " + GENERATE);
            return null;
        }
        return key;
    }

    /** Standard or URL-safe base64, padding optional; null when it is not base64 at all. */
    public static byte[] decodeBase64(String s) {
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            try {
                return Base64.getUrlDecoder().decode(s);
            } catch (IllegalArgumentException e2) {
                return null;
            }
        }
    }

    private String appUrl(String raw, String nodeEnv, int port) {
        if (raw == null) {
            return "http://localhost:" + (port == 0 ? 3000 : port);
        }
        String name = "APP_URL";
        String example = " Use an origin such as http://localhost:3000 or https://appstrate.example.com";
        if (!HAS_SCHEME.matcher(raw).matches()) {
            problems.add(name + ": must be an absolute URL including the protocol (http:// or https://), got \""
                    + raw + "\"." + example);
            return raw;
        }
        URI uri;
        try {
            uri = new URI(raw);
        } catch (URISyntaxException e) {
            problems.add(name + ": must be an absolute URL (" + e.getReason() + ")." + example);
            return raw;
        }
        String scheme = uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https")) {
            problems.add(name + ": only http: and https: are supported." + example);
            return raw;
        }
        if (uri.getHost() == null) {
            problems.add(name + ": must be an absolute URL with a host." + example);
            return raw;
        }
        if (uri.getRawUserInfo() != null) {
            problems.add(name + ": credentials are not supported." + example);
            return raw;
        }
        String path = uri.getRawPath();
        if ((path != null && !path.isEmpty() && !path.equals("/")) || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            problems.add(name + ": must be an origin only (no path, query, or fragment)." + example);
            return raw;
        }
        String host = uri.getHost().toLowerCase();
        boolean loopback = host.equals("localhost") || host.equals("127.0.0.1");
        if ("production".equals(nodeEnv) && !scheme.equals("https") && !loopback) {
            problems.add(name + ": APP_URL must use https:// when NODE_ENV=production (http://localhost is allowed)");
        }
        return scheme + "://" + uri.getRawAuthority().toLowerCase();
    }

    private RunLimits platformRunLimits() {
        RunLimits d = RunLimits.defaults();
        JsonNode n = jsonObject("PLATFORM_RUN_LIMITS", Set.of("timeout_ceiling_seconds", "per_org_global_rate_per_min",
                "max_concurrent_per_org", "agent_memory_ceiling_mb", "agent_cpu_ceiling"));
        if (n == null) {
            return d;
        }
        return new RunLimits(
                positiveInt(n, "PLATFORM_RUN_LIMITS", "timeout_ceiling_seconds", d.timeoutCeilingSeconds()),
                positiveInt(n, "PLATFORM_RUN_LIMITS", "per_org_global_rate_per_min", d.perOrgGlobalRatePerMin()),
                positiveInt(n, "PLATFORM_RUN_LIMITS", "max_concurrent_per_org", d.maxConcurrentPerOrg()),
                positiveInt(n, "PLATFORM_RUN_LIMITS", "agent_memory_ceiling_mb", d.agentMemoryCeilingMb()),
                positiveNumber(n, "PLATFORM_RUN_LIMITS", "agent_cpu_ceiling", d.agentCpuCeiling()));
    }

    private InlineRunLimits inlineRunLimits() {
        InlineRunLimits d = InlineRunLimits.defaults();
        JsonNode n = jsonObject("INLINE_RUN_LIMITS", Set.of("rate_per_min", "manifest_bytes", "prompt_bytes",
                "max_skills", "retention_days"));
        if (n == null) {
            return d;
        }
        return new InlineRunLimits(
                positiveInt(n, "INLINE_RUN_LIMITS", "rate_per_min", d.ratePerMin()),
                positiveInt(n, "INLINE_RUN_LIMITS", "manifest_bytes", d.manifestBytes()),
                positiveInt(n, "INLINE_RUN_LIMITS", "prompt_bytes", d.promptBytes()),
                positiveInt(n, "INLINE_RUN_LIMITS", "max_skills", d.maxSkills()),
                positiveInt(n, "INLINE_RUN_LIMITS", "retention_days", d.retentionDays()));
    }

    private JsonNode jsonObject(String name, Set<String> keys) {
        String v = env.apply(name);
        if (v == null) {
            return null;
        }
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(v);
        } catch (Exception e) {
            problems.add(name + ": must be valid JSON (a JSON object such as {\"max_concurrent_per_org\":5})");
            return null;
        }
        if (n == null || !n.isObject()) {
            problems.add(name + ": must be a JSON object");
            return null;
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!keys.contains(k)) {
                problems.add(name + ": unknown key \"" + k + "\" (allowed: " + String.join(", ", keys.stream().sorted().toList()) + ")");
            }
        }
        return n;
    }

    private int positiveInt(JsonNode n, String var, String key, int def) {
        JsonNode v = n.get(key);
        if (v == null) {
            return def;
        }
        if (!v.canConvertToInt() || !v.isIntegralNumber() || v.asInt() <= 0) {
            problems.add(var + ": " + key + " must be a positive integer");
            return def;
        }
        return v.asInt();
    }

    private double positiveNumber(JsonNode n, String var, String key, double def) {
        JsonNode v = n.get(key);
        if (v == null) {
            return def;
        }
        if (!v.isNumber() || v.asDouble() <= 0) {
            problems.add(var + ": " + key + " must be a positive number");
            return def;
        }
        return v.asDouble();
    }

    private static List<String> csv(String v) {
        if (v == null) {
            return List.of();
        }
        return Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }
}
