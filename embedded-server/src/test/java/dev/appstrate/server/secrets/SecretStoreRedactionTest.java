package dev.appstrate.server.secrets;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.appstrate.server.logging.Redactor;
import org.junit.jupiter.api.Test;

/** Sealing or opening a secret teaches its values to the redactor, so they are masked wherever they are written. */
class SecretStoreRedactionTest {
    @Test
    void sealedJsonTeachesTheSecretFieldsButNotTheDescriptiveOnes() {
        Redactor r = new Redactor();
        SecretStore store = new SecretStore(new SecretBox(KeyRing.of("k1", SecretBoxTest.key(), java.util.Map.of())), r);
        String sealed = store.sealJson(java.util.Map.of("kind", "api_key", "apiKey", "sk-model-provider-0123456789"));
        assertTrue(r.knows("sk-model-provider-0123456789"));
        assertFalse(r.knows("api_key"), "the kind is not a secret");
        Redactor fresh = new Redactor();
        new SecretStore(store.box(), fresh).openJson(sealed);
        assertTrue(fresh.knows("sk-model-provider-0123456789"), "opening teaches the value too");
    }
}
