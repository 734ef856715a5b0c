package dev.appstrate.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.SqliteDatabase;
import dev.appstrate.server.store.TestTenant;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Rotation on a real SQLite file: every sealed column moves to the new key in one transaction. */
class KeyRotationTest {
    static final String APP = "app_00000000-0000-4000-8000-000000000001";
    static final String ORG = "00000000-0000-4000-8000-000000000000";
    static final List<String> SECRETS = List.of("acme_live_aaaaaaaaaaaa1111", "acme_live_bbbbbbbbbbbb2222",
            "acme_live_cccccccccccc3333", "sink-secret-dddddddddddd4444", "sink-secret-eeeeeeeeeeee5555");

    @TempDir
    Path dataDir;
    SqliteDatabase db;
    final byte[] k1 = SecretBoxTest.key();
    final byte[] k2 = SecretBoxTest.key();

    @BeforeEach
    void open() throws Exception {
        db = new SqliteDatabase(dataDir.resolve("appstrate.db"));
        Migrations.apply(db, Clock.systemUTC());
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO organizations(id,name,slug,created_at,updated_at) VALUES ('" + ORG + "','Local','local','t','t')");
                s.execute("INSERT INTO applications(id,org_id,name,is_default,created_at,updated_at) VALUES ('" + APP + "','" + ORG + "','Default',1,'t','t')");
                // stands in for another module's sealed column, found by the *_encrypted naming rule
                s.execute("CREATE TABLE test_sinks (id TEXT PRIMARY KEY, sink_secret_encrypted TEXT)");
            }
            return null;
        });
    }

    @AfterEach
    void close() {
        db.close();
    }

    record World(SecretStore store, IntegrationRepository catalog, Connections connections) {
    }

    World world(KeyRing ring) {
        SecretStore store = new SecretStore(new SecretBox(ring), new Redactor());
        IntegrationRepository catalog = new IntegrationRepository(db, Clock.systemUTC());
        return new World(store, catalog, new Connections(new ConnectionRepository(db), Clock.systemUTC(), store, catalog,
                TestTenant.tenancy(db, Clock.systemUTC())));
    }

    List<String> seedWithK1() throws Exception {
        World w = world(KeyRing.of("k1", k1, Map.of()));
        JsonNode manifest = Json.MAPPER.readTree("""
                {"name":"@acme/crm","type":"integration","auths":{"primary":{"type":"api_key","authorized_uris":["https://api.acme.com/**"]}}}""");
        w.catalog().upsert(ORG, manifest, "local");
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(w.connections().connect(ORG, APP, Connections.Owner.user("owner"), "@acme/crm", "primary",
                    Json.MAPPER.readTree("{\"api_key\":\"" + SECRETS.get(i) + "\"}"), null, null).info().id());
        }
        for (int i = 3; i < 5; i++) {
            String sealed = w.store().seal(SECRETS.get(i));
            int n = i;
            db.write(c -> {
                try (PreparedStatement ps = c.prepareStatement("INSERT INTO test_sinks VALUES (?,?)")) {
                    ps.setString(1, "s" + n);
                    ps.setString(2, sealed);
                    ps.executeUpdate();
                }
                return null;
            });
        }
        return ids;
    }

    Map<String, String> allEnvelopes() {
        return db.read(c -> {
            Map<String, String> out = new HashMap<>();
            try (Statement s = c.createStatement();
                 ResultSet rs = s.executeQuery("SELECT id, credentials_encrypted FROM integration_connections "
                         + "UNION ALL SELECT id, sink_secret_encrypted FROM test_sinks")) {
                while (rs.next()) {
                    out.put(rs.getString(1), rs.getString(2));
                }
            }
            return out;
        });
    }

    @Test
    void rotationReEncryptsEverythingAndOldKeysDecryptUntilRemoved() throws Exception {
        List<String> ids = seedWithK1();
        KeyRing rotated = KeyRing.of("k2", k2, Map.of("k1", k1));
        World w2 = world(rotated);
        // before rotation: the retired key still opens old values, new writes use k2
        assertEquals(SECRETS.get(0), w2.connections().open(ids.get(0)).credentials().get("api_key"));
        String fresh = w2.connections().connect(ORG, APP, Connections.Owner.user("owner"), "@acme/crm", "primary",
                Json.MAPPER.readTree("{\"api_key\":\"acme_live_ffffffffffff6666\"}"), null, null).info().id();
        assertTrue(allEnvelopes().get(fresh).startsWith("v1:k2:"));

        KeyRotation rotation = new KeyRotation(w2.store().box());
        KeyRotation.Status before = rotation.status(db);
        assertEquals(Map.of("k1", 5, "k2", 1), before.valuesByKid());
        assertEquals(5, before.needsRotation());

        KeyRotation.Report report = rotation.rotate(db);
        Map<String, int[]> counts = new HashMap<>();
        report.columns().forEach(r -> counts.put(r.table() + "." + r.column(), new int[] {r.rotated(), r.alreadyCurrent()}));
        assertEquals(List.of(3, 1), List.of(counts.get("integration_connections.credentials_encrypted")[0],
                counts.get("integration_connections.credentials_encrypted")[1]));
        assertEquals(2, counts.get("test_sinks.sink_secret_encrypted")[0]);
        assertEquals(5, report.rotated());
        allEnvelopes().values().forEach(e -> assertTrue(e.startsWith("v1:k2:"), e));
        assertEquals(Map.of("k2", 6), rotation.status(db).valuesByKid());

        // idempotent: a second run rewrites nothing
        Map<String, String> afterFirst = allEnvelopes();
        KeyRotation.Report again = rotation.rotate(db);
        assertEquals(0, again.rotated());
        assertEquals(6, again.alreadyCurrent());
        assertEquals(afterFirst, allEnvelopes());

        // the old key can now be removed: every value opens with k2 alone
        World onlyK2 = world(KeyRing.of("k2", k2, Map.of()));
        for (int i = 0; i < 3; i++) {
            assertEquals(SECRETS.get(i), onlyK2.connections().open(ids.get(i)).credentials().get("api_key"));
        }
        for (int i = 3; i < 5; i++) {
            assertEquals(SECRETS.get(i), onlyK2.store().open(allEnvelopes().get("s" + i)));
        }
        // and a server still on the old key alone gets a clear error naming the new kid
        World onlyK1 = world(KeyRing.of("k1", k1, Map.of()));
        UnknownKeyIdException e = assertThrows(UnknownKeyIdException.class, () -> onlyK1.connections().open(ids.get(0)));
        assertEquals("k2", e.kid());
    }

    @Test
    void aValueNoKeyOpensAbortsTheWholeRotation() throws Exception {
        seedWithK1();
        db.write(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("INSERT INTO test_sinks VALUES ('orphan', 'v1:k9:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA')");
            }
            return null;
        });
        Map<String, String> before = allEnvelopes();
        KeyRotation rotation = new KeyRotation(new SecretBox(KeyRing.of("k2", k2, Map.of("k1", k1))));
        SecretException e = assertThrows(SecretException.class, () -> rotation.rotate(db));
        assertTrue(e.getMessage().contains("test_sinks.sink_secret_encrypted") && e.getMessage().contains("'k9'"), e.getMessage());
        assertEquals(before, allEnvelopes(), "one transaction: nothing was re-encrypted");
        assertEquals(1, rotation.status(db).unreadable());
    }

    @Test
    void rotateKeyCommandReportsCountsPerTableAndIsIdempotent() throws Exception {
        seedWithK1();
        db.close();
        Map<String, String> env = new HashMap<>();
        env.put("DATA_DIR", dataDir.toString());
        env.put("CONNECTION_ENCRYPTION_KEY", SecretBoxTest.b64(k2));
        env.put("CONNECTION_ENCRYPTION_KEY_ID", "k2");
        env.put("CONNECTION_ENCRYPTION_KEYS", "{\"k1\":\"" + SecretBoxTest.b64(k1) + "\"}");

        String[] first = runCommand(List.of(), env);
        assertEquals("0", first[0], first[1] + first[2]);
        assertTrue(first[1].contains("integration_connections.credentials_encrypted: 3 re-encrypted, 0 already on k2"), first[1]);
        assertTrue(first[1].contains("test_sinks.sink_secret_encrypted: 2 re-encrypted"), first[1]);
        assertTrue(first[1].contains("Done in one transaction: 5 re-encrypted"), first[1]);

        String[] second = runCommand(List.of(), env);
        assertEquals("0", second[0]);
        assertTrue(second[1].contains("Done in one transaction: 0 re-encrypted, 5 already current"), second[1]);

        String[] status = runCommand(List.of("--status"), env);
        assertTrue(status[1].contains("Total 5 values, 0 not on the active key"), status[1]);

        Map<String, String> noOld = new HashMap<>(env);
        noOld.put("DATA_DIR", dataDir.resolve("nowhere").toString());
        String[] missing = runCommand(List.of(), noOld);
        assertEquals("2", missing[0]);
        assertTrue(missing[2].contains("no database at"), missing[2]);

        Map<String, String> bad = new HashMap<>(env);
        bad.put("CONNECTION_ENCRYPTION_KEYS", "{\"k2\":\"" + SecretBoxTest.b64(k1) + "\"}");
        String[] badOut = runCommand(List.of(), bad);
        assertEquals("2", badOut[0]);
        assertTrue(badOut[2].contains("contains the active kid 'k2'"), badOut[2]);
        for (String[] r : List.of(first, second, status, missing, badOut)) {
            assertFalse((r[1] + r[2]).contains(env.get("CONNECTION_ENCRYPTION_KEY")), "keys are never printed");
        }
        db = new SqliteDatabase(dataDir.resolve("appstrate.db"));
    }

    @Test
    void theServerJarEntryPointDispatchesRotateKey() throws Exception {
        seedWithK1();
        db.close();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "dev.appstrate.server.Main", "rotate-key").redirectErrorStream(true);
        pb.environment().put("DATA_DIR", dataDir.toString());
        pb.environment().put("CONNECTION_ENCRYPTION_KEY", SecretBoxTest.b64(k2));
        pb.environment().put("CONNECTION_ENCRYPTION_KEY_ID", "k2");
        pb.environment().put("CONNECTION_ENCRYPTION_KEYS", "{\"k1\":\"" + SecretBoxTest.b64(k1) + "\"}");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        assertTrue(out.contains("5 re-encrypted"), out);
        db = new SqliteDatabase(dataDir.resolve("appstrate.db"));
        allEnvelopes().values().forEach(e -> assertTrue(e.startsWith("v1:k2:"), e));
    }

    @Test
    void noPlaintextReachesTheDatabaseFiles() throws Exception {
        seedWithK1();
        db.close();
        try (Stream<Path> files = Files.walk(dataDir)) {
            for (Path f : files.filter(Files::isRegularFile).toList()) {
                String bytes = new String(Files.readAllBytes(f), StandardCharsets.ISO_8859_1);
                for (String s : SECRETS) {
                    assertFalse(bytes.contains(s), s + " found in " + f);
                }
            }
        }
        db = new SqliteDatabase(dataDir.resolve("appstrate.db"));
    }

    private static String[] runCommand(List<String> args, Map<String, String> env) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = RotateKeyCommand.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {String.valueOf(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

}
