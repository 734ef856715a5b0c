package dev.appstrate.server.datamove;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static dev.appstrate.server.testing.RunFixtures.addModel;
import static dev.appstrate.server.testing.RunFixtures.awaitTerminal;
import static dev.appstrate.server.testing.RunFixtures.startRun;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.runner.testing.ScriptedModelServer;
import dev.appstrate.runner.testing.ScriptedModelServer.Turn;
import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.SqliteDatabase;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import dev.appstrate.server.webhooks.SignatureCheckingReceiver;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A laptop's populated SQLite folder moved into an empty PostgreSQL database (and its files into an S3 bucket) serves
 * the same data and runs its agents; a non-empty target is refused.
 */
@Tag("postgresql")
class MoveDataPostgresTest {
    @TempDir
    Path laptop;
    @TempDir
    Path team;

    /** What a user sees: agents, the run's logs, schedules and webhooks. */
    record Seen(List<String> agents, String runStatus, List<String> logs, List<String> schedules, List<String> webhooks) {
    }

    @Test
    void aPopulatedLaptopFolderMovesIntoPostgresqlAndAServerThereAnswersTheSame() throws Exception {
        Seen before;
        String apiKey;
        String runId;
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(Turn.toolCall("log", Map.of("level", "info", "message", "moved line")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5)).start();
             SignatureCheckingReceiver receiver = new SignatureCheckingReceiver(Clock::systemUTC);
             TestServer s = TestServer.start(laptop, sqliteEnv())) {
            addModel(s, "openai-compatible", model.baseUrl());
            addAgent(s, "moved", null);
            JsonNode key = TestServer.json(s.post("/api/api-keys", "{\"name\":\"team\"}"));
            apiKey = key.get("key").asText();
            assertEquals(201, s.post("/api/agents/@local/moved/schedules", "{\"name\":\"nightly\",\"cron_expression\":\"0 3 * * *\","
                    + "\"timezone\":\"UTC\",\"input\":{}}").statusCode());
            assertEquals(201, s.post("/api/webhooks", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"run.success\"]}").statusCode());
            runId = startRun(s, "moved", "{}").get("id").asText();
            assertEquals("success", awaitTerminal(s, runId).get("status").asText());
            before = seen(s, runId);
        }
        assertTrue(before.logs().stream().anyMatch(l -> l.contains("moved line")), before.toString());

        String target = TestDatabases.createDatabase();
        Output ok = move(target);
        assertEquals(0, ok.code, ok.out + ok.err);
        assertTrue(ok.out.contains("counts and checksums match"), ok.out);
        assertTrue(ok.out.contains("same BETTER_AUTH_SECRET and CONNECTION_ENCRYPTION_KEY"), ok.out);
        assertFalse((ok.out + ok.err).contains(TestServer.env(laptop, Map.of()).get("CONNECTION_ENCRYPTION_KEY")), "the key is never printed");

        copyTree(laptop.resolve("storage"), team.resolve("storage")); // what the output says to do without S3_BUCKET
        try (TestServer t = TestServer.start(team, Map.of("DATABASE_URL", target))) {
            assertEquals(before, seen(t, runId));
            assertEquals(200, t.raw("GET", "/api/agents", null, Map.of("Authorization", "Bearer " + apiKey)).statusCode(),
                    "the laptop's API key still authenticates");

            Output refused = move(target);
            assertEquals(1, refused.code, refused.out + refused.err);
            assertTrue(refused.err.contains("the target database is not empty"), refused.err);
            assertEquals(before, seen(t, runId), "a refused move changes nothing");
        }
    }

    @Test
    void withS3TheFilesGoIntoTheBucketAndAServerOnPostgresqlAndTheBucketRunsTheMovedAgent() throws Exception {
        String bucket = TestS3.freshBucket();
        String target = TestDatabases.createDatabase();
        try (ScriptedModelServer model = ScriptedModelServer.builder()
                .turn(Turn.toolCall("log", Map.of("level", "info", "message", "moved line")))
                .turn(new Turn("", List.of(ScriptedModelServer.outputCall(Map.of("answer", 7))), 5, 5)).start();
             SignatureCheckingReceiver receiver = new SignatureCheckingReceiver(Clock::systemUTC)) {
            Seen before;
            String runId;
            try (TestServer s = TestServer.start(laptop, sqliteEnv())) {
                addModel(s, "openai-compatible", model.baseUrl()); // its provider key is a sealed secret
                addAgent(s, "moved", null);
                addAgent(s, "second", null);
                assertEquals(201, s.post("/api/agents/@local/moved/schedules", "{\"name\":\"nightly\",\"cron_expression\":"
                        + "\"0 3 * * *\",\"timezone\":\"UTC\",\"input\":{}}").statusCode());
                assertEquals(201, s.post("/api/webhooks", "{\"url\":\"" + receiver.url() + "\",\"events\":[\"run.success\"]}")
                        .statusCode());
                runId = startRun(s, "moved", "{}").get("id").asText();
                assertEquals("success", awaitTerminal(s, runId).get("status").asText());
                before = seen(s, runId);
            }
            Map<String, String> laptopFiles = sha256s(laptop.resolve("storage"));
            assertEquals(2, laptopFiles.keySet().stream().filter(k -> k.startsWith("packages/")).count(), laptopFiles.toString());

            Output ok = move(target, TestS3.serverEnv(bucket));
            assertEquals(0, ok.code, ok.out + ok.err);
            assertTrue(ok.out.contains(laptopFiles.size() + " files copied to the bucket"), ok.out);
            assertTrue(ok.out.contains("counts and checksums match"), ok.out);
            assertFalse((ok.out + ok.err).contains(TestS3.secretKey()), "the bucket's secret is never printed");
            assertEquals(laptopFiles, bucketSha256s(bucket), "every file of storage/ is in the bucket, byte for byte");

            Map<String, String> teamEnv = new HashMap<>(TestS3.serverEnv(bucket));
            teamEnv.put("DATABASE_URL", target);
            teamEnv.put("EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1");
            try (TestServer t = TestServer.start(team, teamEnv)) {
                assertEquals(before, seen(t, runId), "the team server shows the laptop's agents, run, logs, schedules and webhooks");
                String again = startRun(t, "second", "{}").get("id").asText();
                assertEquals("success", awaitTerminal(t, again).get("status").asText(),
                        "the moved agent runs: its bundle comes from the bucket, its model key is still readable");
                assertFalse(Files.exists(team.resolve("storage/packages")), "nothing was read from or written to a local storage/");

                Output refused = move(target, TestS3.serverEnv(bucket));
                assertEquals(1, refused.code, refused.out + refused.err);
                assertTrue(refused.err.startsWith("move-data refused, nothing was written: the target database is not empty"),
                        refused.err);
            }
        }
    }

    @Test
    void aSourceOnAnotherSchemaVersionIsRefusedAndTheTargetStaysUntouched() {
        try (SqliteDatabase db = new SqliteDatabase(laptop.resolve("appstrate.db"))) {
            Migrations.apply(db, Clock.systemUTC());
            db.write(c -> Rows.update(c, "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)"));
        }
        String target = TestDatabases.createDatabase();
        Output refused = move(target);
        assertEquals(1, refused.code, refused.out + refused.err);
        assertTrue(refused.err.contains("start this server once on the data folder"), refused.err);
        try (PostgresDatabase pg = PostgresDatabase.connect(DatabaseUrl.parse(target), 1)) {
            assertEquals(0L, (long) pg.read(c -> Rows.count(c, "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = current_schema()")),
                    "nothing was created on the target");
        }
    }

    private static Map<String, String> sqliteEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null); // the laptop: SQLite, also in the PostgreSQL test execution
        env.put("EGRESS_ALLOW_INTERNAL_HOSTS", "127.0.0.1");
        return env;
    }

    private static Seen seen(TestServer s, String runId) {
        return new Seen(texts(s, "/api/agents", "id"), TestServer.json(s.get("/api/runs/" + runId)).get("status").asText(),
                texts(s, "/api/runs/" + runId + "/logs?limit=1000", "message"), texts(s, "/api/schedules", "id"),
                texts(s, "/api/webhooks", "url"));
    }

    private static List<String> texts(TestServer s, String path, String field) {
        List<String> out = new ArrayList<>();
        JsonNode body = TestServer.json(s.get(path));
        for (JsonNode n : body.has("data") ? body.get("data") : body) {
            out.add(n.path(field).asText() + "|" + n.path("createdAt").asText());
        }
        return out;
    }

    record Output(int code, String out, String err) {
    }

    private Output move(String target) {
        return move(target, Map.of());
    }

    private Output move(String target, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MoveDataCommand.run(List.of("--from", laptop.toString(), "--to", target), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    /** Each file under {@code root} (its slash-separated relative path) → its SHA-256. */
    private static Map<String, String> sha256s(Path root) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                out.put(root.relativize(p).toString().replace('\\', '/'), sha256(Files.readAllBytes(p)));
            }
        }
        return out;
    }

    private static Map<String, String> bucketSha256s(String bucket) {
        Map<String, String> out = new TreeMap<>();
        try (S3Client c = TestS3.client()) {
            for (S3Object o : c.listObjectsV2Paginator(b -> b.bucket(bucket)).contents()) {
                out.put(o.key(), sha256(c.getObjectAsBytes(b -> b.bucket(bucket).key(o.key())).asByteArray()));
            }
        }
        return out;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return;
        }
        try (Stream<Path> files = Files.walk(from)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                Path dest = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(dest);
                } else {
                    Files.copy(p, dest);
                }
            }
        }
    }
}
