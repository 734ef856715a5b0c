package dev.appstrate.server.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.appstrate.server.http.AuthContext;
import dev.appstrate.server.store.Database;
import dev.appstrate.server.store.Migrations;
import dev.appstrate.server.store.Rows;
import dev.appstrate.server.store.TestTenant;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keys a user made before org:write had to be asked for (every key the desktop's API Keys page made) held it by default:
 * after the upgrade's migration they no longer change what other applications use; a key that named its scopes keeps them.
 */
class OldDefaultKeyScopesTest {
    @TempDir
    Path dir;

    @Test
    void aKeyMadeWithTheOldDefaultLosesOrgWriteAtUpgradeAndANamedListIsKept() {
        Clock clock = Clock.systemUTC();
        try (Database db = TestTenant.open(dir.resolve("appstrate.db"), clock)) {
            ApiKeyRepository keys = new ApiKeyRepository(db);
            // the database as the previous release left it: V010 not applied yet, keys stored with the old default
            db.write(c -> Rows.update(c, "DELETE FROM schema_migrations WHERE version = 10"));
            keys.insert(key("ak_default", Scopes.API_KEY_ALLOWED));
            List<String> named = List.of("models:read", "models:write", AuthContext.ORG_WRITE);
            keys.insert(key("ak_named", named));

            assertEquals(1, Migrations.apply(db, clock), "the upgrade applies V010");

            List<String> upgraded = keys.byId("ak_default").orElseThrow().scopes();
            assertFalse(upgraded.contains(AuthContext.ORG_WRITE), "the old default key can no longer change org-wide models");
            assertEquals(Scopes.API_KEY_DEFAULT, upgraded, "it holds today's default, nothing else taken away");
            assertEquals(named, keys.byId("ak_named").orElseThrow().scopes(), "a key that asked for org:write by name keeps it");
        }
    }

    private static ApiKey key(String id, List<String> scopes) {
        return new ApiKey(id, TestTenant.ORG, TestTenant.APP, id, "hash-" + id, "ask_" + id.substring(3, 6), scopes, null,
                null, null, null, Instant.parse("2026-12-06T23:00:00Z"));
    }
}
