package dev.appstrate.server.datamove;

import static dev.appstrate.server.testing.RunFixtures.addAgent;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.store.DatabaseUrl;
import dev.appstrate.server.store.PostgresDatabase;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.testing.TestDatabases;
import dev.appstrate.server.testing.TestS3;
import dev.appstrate.server.testing.TestServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * What move-data refuses, each with one paragraph saying why and what to do, exit 1, and nothing written to the target
 * database or bucket: a folder a running server holds, a non-empty database or bucket, a database or bucket it cannot reach.
 */
@Tag("postgresql")
class MoveDataRefusalsPostgresTest {
    private static final String REFUSED = "move-data refused, nothing was written: ";
    @TempDir
    Path laptop;

    record Output(int code, String out, String err) {
    }

    @BeforeEach
    void populatedLaptop() {
        try (TestServer s = TestServer.start(laptop, sqliteEnv())) {
            addAgent(s, "kept", null);
        }
    }

    @Test
    void aFolderARunningServerHoldsIsRefusedNamingIt() {
        String target = TestDatabases.createDatabase();
        String bucket = TestS3.freshBucket();
        try (TestServer running = TestServer.start(laptop, sqliteEnv())) {
            Output o = move(target, TestS3.serverEnv(bucket));
            assertEquals(1, o.code, o.out + o.err);
            assertTrue(o.err.startsWith(REFUSED + "the data folder " + laptop.toAbsolutePath().normalize()
                    + " is in use by a running Appstrate server (pid " + ProcessHandle.current().pid()), o.err);
            assertTrue(o.err.contains("Stop that server"), o.err);
            assertEquals(200, running.get("/api/agents").statusCode(), "the running server is left alone");
        }
        assertUntouched(target, bucket);
        Output after = move(target, TestS3.serverEnv(bucket));
        assertEquals(0, after.code, "once that server stopped the move runs: " + after.out + after.err);
    }

    @Test
    void aDatabaseWithAnyRowIsRefusedEvenInATableThatIsNotOurs() {
        String target = TestDatabases.createDatabase();
        try (PostgresDatabase pg = PostgresDatabase.connect(DatabaseUrl.parse(target), 1)) {
            pg.write(c -> Rows.update(c, "CREATE TABLE invoices (id int)") + Rows.update(c, "INSERT INTO invoices VALUES (1)"));
        }
        String bucket = TestS3.freshBucket();
        Output o = move(target, TestS3.serverEnv(bucket));
        assertEquals(1, o.code, o.out + o.err);
        assertEquals(REFUSED + "the target database is not empty (table invoices has rows); move-data only fills an empty "
                + "database: create a new one (CREATE DATABASE …) or point --to at an empty one.", o.err.strip());
        try (PostgresDatabase pg = PostgresDatabase.connect(DatabaseUrl.parse(target), 1)) {
            assertEquals(List.of("invoices"), pg.read(Rows::tables), "no table of ours was created next to it");
        }
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void aBucketWithAnyObjectIsRefusedAndTheDatabaseStaysEmpty() {
        String target = TestDatabases.createDatabase();
        String bucket = TestS3.freshBucket();
        try (S3Client c = TestS3.client()) {
            c.putObject(b -> b.bucket(bucket).key("someone/else.txt"), RequestBody.fromString("theirs"));
        }
        Output o = move(target, TestS3.serverEnv(bucket));
        assertEquals(1, o.code, o.out + o.err);
        assertTrue(o.err.startsWith(REFUSED + "the target bucket is not empty (s3 bucket=" + bucket), o.err);
        assertTrue(o.err.contains("holds 1 object(s), e.g. someone/else.txt"), o.err);
        assertEquals(List.of("someone/else.txt"), keys(bucket));
        assertNoTables(target);
    }

    @Test
    void anUnreachableDatabaseIsRefusedSayingWhatWasTriedAndHowToTestIt() {
        int port = closedPort();
        String bucket = TestS3.freshBucket();
        Output o = move("postgres://mover:s3cret-pw@127.0.0.1:" + port + "/team", TestS3.serverEnv(bucket));
        assertEquals(1, o.code, o.out + o.err);
        assertTrue(o.err.startsWith(REFUSED + "cannot connect to the target PostgreSQL at postgres://mover:***@127.0.0.1:" + port
                + "/team"), o.err);
        assertTrue(o.err.contains("accepts TCP connections on 127.0.0.1:" + port), o.err);
        assertTrue(o.err.contains("psql \"$DATABASE_URL\""), o.err);
        assertFalse(o.err.contains("s3cret-pw"), "the password is never printed");
        assertEquals(1, o.err.strip().lines().count(), "one paragraph: " + o.err);
        assertEquals(List.of(), keys(bucket));
    }

    @Test
    void anUnreachableOrMissingBucketIsRefusedAndTheDatabaseStaysEmpty() {
        String target = TestDatabases.createDatabase();
        Map<String, String> missing = new HashMap<>(TestS3.serverEnv("no-such-bucket-move"));
        Output o = move(target, missing);
        assertEquals(1, o.code, o.out + o.err);
        assertTrue(o.err.startsWith(REFUSED + "cannot use the target bucket 'no-such-bucket-move' at " + TestS3.endpoint()
                + " (S3_BUCKET, S3_ENDPOINT): the bucket does not exist."), o.err);
        assertTrue(o.err.contains("aws s3 ls s3://no-such-bucket-move --endpoint-url " + TestS3.endpoint()), o.err);

        Map<String, String> unreachable = new HashMap<>(TestS3.serverEnv("b"));
        unreachable.put("S3_ENDPOINT", "http://127.0.0.1:" + closedPort());
        Output down = move(target, unreachable);
        assertEquals(1, down.code, down.out + down.err);
        assertTrue(down.err.startsWith(REFUSED + "cannot use the target bucket 'b' at " + unreachable.get("S3_ENDPOINT")), down.err);
        assertFalse((o.err + down.err).contains(TestS3.secretKey()), "the secret is never printed");
        assertNoTables(target);
    }

    private static Map<String, String> sqliteEnv() {
        Map<String, String> env = new HashMap<>();
        env.put("DATABASE_URL", null); // the laptop: SQLite, also in the PostgreSQL test execution
        return env;
    }

    private void assertUntouched(String target, String bucket) {
        assertNoTables(target);
        assertEquals(List.of(), keys(bucket), "nothing put in the bucket");
    }

    private static void assertNoTables(String target) {
        try (PostgresDatabase pg = PostgresDatabase.connect(DatabaseUrl.parse(target), 1)) {
            assertEquals(List.of(), pg.read(Rows::tables), "nothing was created on the target");
        }
    }

    private static List<String> keys(String bucket) {
        try (S3Client c = TestS3.client()) {
            return c.listObjectsV2(b -> b.bucket(bucket)).contents().stream().map(S3Object::key).sorted().toList();
        }
    }

    private static int closedPort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Output move(String target, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = MoveDataCommand.run(List.of("--from", laptop.toString(), "--to", target), env,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Output(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
