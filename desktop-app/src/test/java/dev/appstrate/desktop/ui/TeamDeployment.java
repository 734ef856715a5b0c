package dev.appstrate.desktop.ui;

import dev.appstrate.desktop.launch.EmbeddedServer;
import dev.appstrate.server.store.DatabaseUrl;
import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import java.net.URI;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A team deployment as README's "Team server" section describes it: two server instances (A and B, each with its own
 * data folder) sharing a fresh PostgreSQL database, a Redis database and an S3 bucket on the engines CI starts.
 */
final class TeamDeployment implements AutoCloseable {
    static final String OWNER_TOKEN = "team-owner-token-" + UUID.randomUUID();
    /** The variables the engines' scripts export (.ci/run sets them all). */
    static final List<String> ENGINES = List.of("APPSTRATE_TEST_POSTGRES_URL", "APPSTRATE_TEST_REDIS_URL",
            "APPSTRATE_TEST_S3_ENDPOINT", "APPSTRATE_TEST_S3_ACCESS_KEY", "APPSTRATE_TEST_S3_SECRET_KEY");

    private final String database;
    private final DatabaseUrl admin;
    final EmbeddedServer a;
    final EmbeddedServer b;

    private TeamDeployment(String database, DatabaseUrl admin, EmbeddedServer a, EmbeddedServer b) {
        this.database = database;
        this.admin = admin;
        this.a = a;
        this.b = b;
    }

    /** The engines' variables that are not set, empty when all are. */
    static List<String> missingEngines() {
        List<String> missing = new ArrayList<>();
        for (String v : ENGINES) {
            String value = System.getenv(v);
            if (value == null || value.isBlank()) {
                missing.add(v);
            }
        }
        return missing;
    }

    static TeamDeployment start(Path folderA, Path folderB) throws Exception {
        DatabaseUrl admin = DatabaseUrl.parse(System.getenv("APPSTRATE_TEST_POSTGRES_URL"));
        String database = "team_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        sql(admin, "CREATE DATABASE " + database);
        Map<String, String> shared = new HashMap<>();
        shared.put("DATABASE_URL", "postgres://" + enc(admin.user()) + (admin.effectivePassword() == null ? "" : ":"
                + enc(admin.effectivePassword())) + "@" + admin.host() + ":" + admin.port() + "/" + database);
        shared.put("REDIS_URL", freshRedisDatabase());
        shared.putAll(freshBucket());
        // what README says must be the same on every instance
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        shared.put("CONNECTION_ENCRYPTION_KEY", Base64.getEncoder().encodeToString(key));
        shared.put("BETTER_AUTH_SECRET", UUID.randomUUID().toString());
        shared.put("UPLOAD_SIGNING_SECRET", UUID.randomUUID().toString());
        shared.put("APPSTRATE_OWNER_TOKEN", OWNER_TOKEN);
        shared.put("LOG_LEVEL", "warn");
        EmbeddedServer a = EmbeddedServer.start(shared, folderA);
        EmbeddedServer b;
        try {
            b = EmbeddedServer.start(shared, folderB);
        } catch (Exception e) {
            a.stop();
            throw e;
        }
        return new TeamDeployment(database, admin, a, b);
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static String freshRedisDatabase() {
        String url = System.getenv("APPSTRATE_TEST_REDIS_URL").replaceFirst("/\\d+$", "") + "/"
                + ThreadLocalRandom.current().nextInt(1, 16);
        RedisClient client = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> c = client.connect()) {
            c.sync().flushdb(); // no heartbeat or counter of an earlier test leaks in
        } finally {
            client.shutdown();
        }
        return url;
    }

    private static Map<String, String> freshBucket() {
        String endpoint = System.getenv("APPSTRATE_TEST_S3_ENDPOINT");
        String access = System.getenv("APPSTRATE_TEST_S3_ACCESS_KEY");
        String secret = System.getenv("APPSTRATE_TEST_S3_SECRET_KEY");
        String bucket = "team-" + UUID.randomUUID().toString().substring(0, 13);
        try (S3Client s3 = S3Client.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint)).forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(access, secret)))
                .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            s3.createBucket(r -> r.bucket(bucket));
        }
        return Map.of("S3_BUCKET", bucket, "S3_REGION", "us-east-1", "S3_ENDPOINT", endpoint, "AWS_ACCESS_KEY_ID", access,
                "AWS_SECRET_ACCESS_KEY", secret);
    }

    private static void sql(DatabaseUrl admin, String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.effectivePassword());
             Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Override
    public void close() throws Exception {
        b.stop();
        a.stop();
        sql(admin, "DROP DATABASE IF EXISTS " + database + " WITH (FORCE)");
    }
}
