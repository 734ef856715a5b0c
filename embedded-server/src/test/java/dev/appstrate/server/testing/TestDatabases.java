package dev.appstrate.server.testing;

import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.SqliteDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Which engine tests run on: SQLite unless {@code -Dappstrate.test.database=postgresql}, then a fresh PostgreSQL
 * database per data folder ({@code CREATE DATABASE test_<random>}, dropped when the test JVM exits) on the server
 * {@code APPSTRATE_TEST_POSTGRES_URL} names (.ci/run starts one).
 */
public final class TestDatabases {
    public static final String ENGINE_PROPERTY = "appstrate.test.database";
    public static final String URL_VARIABLE = "APPSTRATE_TEST_POSTGRES_URL";
    private static final Map<Path, String> BY_DATA_DIR = new ConcurrentHashMap<>();
    private static final List<String> CREATED = new CopyOnWriteArrayList<>();
    private static volatile boolean hookInstalled;

    private TestDatabases() {
    }

    /** True when this test JVM runs its servers on PostgreSQL. */
    public static boolean postgres() {
        return Database.POSTGRESQL.equals(System.getProperty(ENGINE_PROPERTY, Database.SQLITE).toLowerCase(Locale.ROOT));
    }

    /** The DATABASE_URL a server on this data folder uses, or null on SQLite; the same folder gets the same database. */
    public static String databaseUrlFor(Path dataDir) {
        return postgres() ? BY_DATA_DIR.computeIfAbsent(dataDir.toAbsolutePath().normalize(), d -> createDatabase()) : null;
    }

    /** The engine for a store-level test: SQLite at {@code file}, or the PostgreSQL database mapped to its folder. */
    public static Database open(Path file) {
        String url = databaseUrlFor(file.toAbsolutePath().getParent().resolve(file.getFileName() + ".pg"));
        return url == null ? new SqliteDatabase(file) : PostgresDatabase.connect(DatabaseUrl.parse(url), 4);
    }

    /** The admin URL of the test PostgreSQL server; fails with how to get one. */
    public static DatabaseUrl adminUrl() {
        String url = System.getenv(URL_VARIABLE);
        if (url == null || url.isBlank()) {
            url = System.getProperty("appstrate.test.postgres.url");
        }
        if (url == null || url.isBlank()) {
            throw new IllegalStateException("PostgreSQL tests need a server: set " + URL_VARIABLE
                    + "=postgres://postgres:postgres@127.0.0.1:5432/postgres (.ci/run starts one; see README \"Tests\"), "
                    + "or skip them with -Dappstrate.test.postgresql.skip=true");
        }
        return DatabaseUrl.parse(url);
    }

    /** A new empty database on the test server; returns its DATABASE_URL. */
    public static String createDatabase() {
        DatabaseUrl admin = adminUrl();
        String name = "test_" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        admin(admin, "CREATE DATABASE " + name);
        CREATED.add(name);
        installDropHook(admin);
        String userInfo = enc(admin.user()) + (admin.effectivePassword() == null ? "" : ":" + enc(admin.effectivePassword()));
        return "postgres://" + userInfo + "@" + admin.host() + ":" + admin.port() + "/" + name;
    }

    private static String enc(String s) {
        return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
    }

    private static synchronized void installDropHook(DatabaseUrl admin) {
        if (hookInstalled) {
            return;
        }
        hookInstalled = true;
        // one connection for every drop: the JVM's exit waits for this hook (surefire gives it 30 s by default)
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.effectivePassword());
                 Statement s = c.createStatement()) {
                for (String name : CREATED) {
                    s.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
                }
            } catch (SQLException ignored) {
                // the CI cluster is thrown away anyway
            }
        }, "drop-test-databases"));
    }

    private static void admin(DatabaseUrl admin, String sql) {
        try (Connection c = DriverManager.getConnection(admin.jdbcUrl(), admin.user(), admin.effectivePassword());
             Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("Cannot run \"" + sql + "\" on the test PostgreSQL server " + admin.masked() + ": "
                    + e.getMessage(), e);
        }
    }
}
