package dev.appstrate.server.boot;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.config.ServerConfig;
import dev.appstrate.server.testing.ServerProcess;
import java.nio.file.Path;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The server refuses to start on bad secrets or APP_URL: exit 1 and every problem listed on stderr. */
class EnvValidationTest {
    static final String FIX = " Generate one with: openssl rand -base64 32";
    static final String GOOD_KEY = Base64.getEncoder().encodeToString(new byte[32]);
    static final String AUTH_MISSING = "  - BETTER_AUTH_SECRET: required: the session signing secret (any non-empty string)." + FIX;
    static final String UPLOAD_MISSING = "  - UPLOAD_SIGNING_SECRET: required: at least 16 characters (a comma-separated list of keys rotates them)." + FIX;
    static final String KEY_MISSING = "  - CONNECTION_ENCRYPTION_KEY: required: exactly 32 bytes, base64-encoded (AES-256 for stored credentials)." + FIX;

    @TempDir
    Path dataDir;

    static Map<String, String> good() {
        Map<String, String> env = new HashMap<>();
        env.put("BETTER_AUTH_SECRET", "s3cret");
        env.put("UPLOAD_SIGNING_SECRET", "0123456789abcdef");
        env.put("CONNECTION_ENCRYPTION_KEY", GOOD_KEY);
        return env;
    }

    static Map<String, String> with(String... kv) {
        Map<String, String> env = good();
        for (int i = 0; i < kv.length; i += 2) {
            if (kv[i + 1] == null) {
                env.remove(kv[i]);
            } else {
                env.put(kv[i], kv[i + 1]);
            }
        }
        return env;
    }

    static Stream<Arguments> refused() {
        return Stream.of(
                Arguments.of("auth secret missing", with("BETTER_AUTH_SECRET", null), List.of(AUTH_MISSING)),
                Arguments.of("auth secret empty", with("BETTER_AUTH_SECRET", ""), List.of(AUTH_MISSING)),
                Arguments.of("upload secret missing", with("UPLOAD_SIGNING_SECRET", null), List.of(UPLOAD_MISSING)),
                Arguments.of("upload secret empty", with("UPLOAD_SIGNING_SECRET", ""), List.of(UPLOAD_MISSING)),
                Arguments.of("upload secret short", with("UPLOAD_SIGNING_SECRET", "short123"), List.of(
                        "  - UPLOAD_SIGNING_SECRET: each comma-separated key must be at least 16 chars (key 1 has 8)." + FIX)),
                Arguments.of("upload keyring second key short", with("UPLOAD_SIGNING_SECRET", "0123456789abcdef,tiny"), List.of(
                        "  - UPLOAD_SIGNING_SECRET: each comma-separated key must be at least 16 chars (key 2 has 4)." + FIX)),
                Arguments.of("encryption key missing", with("CONNECTION_ENCRYPTION_KEY", null), List.of(KEY_MISSING)),
                Arguments.of("encryption key empty", with("CONNECTION_ENCRYPTION_KEY", ""), List.of(KEY_MISSING)),
                Arguments.of("encryption key not base64", with("CONNECTION_ENCRYPTION_KEY", "not-base64-at-all!"), List.of(
                        "  - CONNECTION_ENCRYPTION_KEY: must be 32 bytes (256-bit) base64-encoded, but it is not valid base64." + FIX)),
                Arguments.of("encryption key 16 bytes", with("CONNECTION_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(new byte[16])),
                        List.of("  - CONNECTION_ENCRYPTION_KEY: must be 32 bytes (256-bit) base64-encoded, but it decodes to 16 bytes." + FIX)),
                Arguments.of("encryption key 64 hex chars", with("CONNECTION_ENCRYPTION_KEY", "ab".repeat(32)), List.of(
                        "  - CONNECTION_ENCRYPTION_KEY: must be 32 bytes (256-bit) base64-encoded, but it decodes to 48 bytes." + FIX)),
                Arguments.of("all three missing", with("BETTER_AUTH_SECRET", null, "UPLOAD_SIGNING_SECRET", null,
                        "CONNECTION_ENCRYPTION_KEY", null), List.of(AUTH_MISSING, UPLOAD_MISSING, KEY_MISSING)),
                Arguments.of("APP_URL without protocol", with("APP_URL", "localhost:3999"), List.of(
                        "  - APP_URL: must be an absolute URL including the protocol (http:// or https://), got \"localhost:3999\"."
                                + " Use an origin such as http://localhost:3000 or https://appstrate.example.com")),
                Arguments.of("APP_URL with a path", with("APP_URL", "http://127.0.0.1:3999/app"), List.of(
                        "  - APP_URL: must be an origin only (no path, query, or fragment)."
                                + " Use an origin such as http://localhost:3000 or https://appstrate.example.com")),
                Arguments.of("http APP_URL for a public host in production", with("NODE_ENV", "production", "APP_URL",
                        "http://appstrate.example.com"), List.of(
                        "  - APP_URL: APP_URL must use https:// when NODE_ENV=production (http://localhost is allowed)")),
                Arguments.of("unknown PLATFORM_RUN_LIMITS key", with("PLATFORM_RUN_LIMITS", "{\"max_runs\":3}"), List.of(
                        "  - PLATFORM_RUN_LIMITS: unknown key \"max_runs\" (allowed: agent_cpu_ceiling, agent_memory_ceiling_mb, "
                                + "max_concurrent_per_org, per_org_global_rate_per_min, timeout_ceiling_seconds)")),
                Arguments.of("DATABASE_URL that is not PostgreSQL", with("DATABASE_URL", "mysql://u:secret-pw@db/appstrate"), List.of(
                        "  - DATABASE_URL: must be a postgres:// or postgresql:// URL such as "
                                + "postgres://user:password@localhost:5432/appstrate, or unset for the embedded SQLite database")),
                Arguments.of("DATABASE_URL with a bad port", with("DATABASE_URL", "postgres://u:secret-pw@db:99999/appstrate"), List.of(
                        "  - DATABASE_URL: has an invalid port \"99999\"")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("refused")
    void refusesToStartListingEveryProblem(String name, Map<String, String> env, List<String> lines) throws Exception {
        env.put("DATA_DIR", dataDir.toString());
        env.put("PORT", "0");
        ServerProcess.Result r = ServerProcess.run(env, 60);
        assertEquals(1, r.exitCode(), "exit code; stderr=" + r.stderr());
        List<String> expected = new java.util.ArrayList<>();
        expected.add("[env] Invalid environment variables:");
        expected.addAll(lines);
        assertEquals(expected, r.stderr().lines().toList());
        assertEquals("", r.stdout(), "nothing on stdout");
    }

    @Test
    void httpAppUrlOnLocalhostIsAcceptedInProduction() {
        ServerConfig c = assertDoesNotThrow(() -> EnvConfigLoader.load(with("NODE_ENV", "production", "APP_URL", "http://localhost:3999")));
        assertEquals("http://localhost:3999", c.network().appUrl());
        assertDoesNotThrow(() -> EnvConfigLoader.load(with("NODE_ENV", "production", "APP_URL", "http://127.0.0.1:3999")));
        assertDoesNotThrow(() -> EnvConfigLoader.load(with("NODE_ENV", "production", "APP_URL", "https://appstrate.example.com")));
    }

    @Test
    void defaultsAreLaptopFriendly() {
        ServerConfig c = EnvConfigLoader.load(good());
        assertEquals("127.0.0.1", c.network().host());
        assertEquals(3000, c.network().port());
        assertEquals("process", c.runner().adapter());
        assertEquals("info", c.logLevel());
        assertEquals(1800, c.limits().platformRuns().timeoutCeilingSeconds());
        assertEquals(50, c.limits().platformRuns().maxConcurrentPerOrg());
    }

    @Test
    void redisUrlIsParsedAndItsPasswordNeverShown() {
        ServerConfig c = EnvConfigLoader.load(with("REDIS_URL", "redis://:s3cret-pw@cache.internal:6380/2"));
        assertEquals("redis://:***@cache.internal:6380/2", c.cluster().redisUrl().masked());
        assertEquals(false, c.cluster().redisUrl().toString().contains("s3cret-pw"));
        assertEquals(null, EnvConfigLoader.load(good()).cluster().redisUrl());
    }

    @Test
    void aMalformedRedisUrlIsRefusedWithoutEchoingIt() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> EnvConfigLoader.load(with("REDIS_URL", "http://:s3cret-pw@cache.internal:6380")));
        assertEquals(1, e.problems().size());
        assertEquals(true, e.problems().get(0).startsWith("REDIS_URL: must start with redis:// or rediss://"), e.problems().get(0));
        assertEquals(false, e.getMessage().contains("s3cret-pw"));
        ConfigException db = assertThrows(ConfigException.class,
                () -> EnvConfigLoader.load(with("REDIS_URL", "redis://localhost:6379/zero")));
        assertEquals(true, db.problems().get(0).contains("database must be a number"), db.problems().get(0));
    }
}
