package dev.appstrate.server.webhooks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.egress.EgressGuard;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.secrets.KeyRing;
import dev.appstrate.server.secrets.KeyRotation;
import dev.appstrate.server.secrets.SecretBox;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.TestTenant;
import dev.appstrate.server.timers.ManualTime;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15.7: webhook signing secrets are sealed at rest, older plaintext ones are sealed without loss, rotate-key covers them. */
class WebhookSecretSealingTest {
    private static final byte[] K1 = new byte[32];
    private static final byte[] K2 = new byte[32];

    static {
        java.util.Arrays.fill(K2, (byte) 7);
    }

    @TempDir
    Path dir;
    private Database db;

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void secretsAreSealedAtRestAndSurviveMigrationAndKeyRotation() throws Exception {
        ManualTime time = new ManualTime(Instant.parse("2026-01-01T00:00:00Z"));
        db = TestTenant.open(dir.resolve("appstrate.db"), time);
        SecretBox k1 = new SecretBox(KeyRing.of("k1", K1, Map.of()));
        WebhookRepository store = new WebhookRepository(db, k1);
        Webhooks webhooks = new Webhooks(store, TestTenant.tenancy(db, time), null, new EgressGuard(List.of()), time);
        Webhooks.Created created = webhooks.create(new Webhooks.Caller(TestTenant.ORG, TestTenant.APP, false),
                Json.MAPPER.readValue("{\"url\":\"https://93.184.215.14/h\",\"events\":[\"run.success\"]}", Webhooks.CreateBody.class));
        String id = created.webhook().id();
        String stored = column(id);
        assertTrue(stored.startsWith("v1:k1:"), "sealed with the active key");
        assertFalse(stored.contains(created.secret().substring(6)), "no plaintext at rest");
        assertEquals(created.secret(), store.find(id).orElseThrow().secret());

        // an older version stored this one in plain text
        String legacy = "whsec_" + "A".repeat(43);
        db.write(c -> Rows.update(c, "UPDATE webhooks SET secret=? WHERE id=?", legacy, id));
        assertEquals(1, store.sealPlaintextSecrets());
        assertTrue(column(id).startsWith("v1:k1:"));
        assertEquals(legacy, store.find(id).orElseThrow().secret(), "sealing loses nothing");
        assertEquals(0, store.sealPlaintextSecrets());

        // rotate-key: k2 active, k1 retired; the secret re-seals under k2 and still opens to the same value
        SecretBox k2 = new SecretBox(KeyRing.of("k2", K2, Map.of("k1", K1)));
        KeyRotation.Report report = new KeyRotation(k2).rotate(db);
        assertTrue(report.columns().stream().anyMatch(c -> c.table().equals("webhooks") && c.column().equals("secret")
                && c.rotated() == 1), report.toString());
        assertTrue(column(id).startsWith("v1:k2:"));
        assertEquals(legacy, new WebhookRepository(db, new SecretBox(KeyRing.of("k2", K2, Map.of()))).find(id).orElseThrow().secret());
    }

    private String column(String id) {
        return db.read(c -> Rows.one(c, "SELECT secret FROM webhooks WHERE id=?", rs -> rs.getString(1), id)).orElseThrow();
    }
}
