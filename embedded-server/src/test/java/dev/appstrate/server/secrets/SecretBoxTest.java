package dev.appstrate.server.secrets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.json.Json;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    private static final SecureRandom RANDOM = new SecureRandom();

    static byte[] key() {
        byte[] k = new byte[32];
        RANDOM.nextBytes(k);
        return k;
    }

    static String b64(byte[] k) {
        return Base64.getEncoder().encodeToString(k);
    }

    private static JsonNode nodeVectors() throws Exception {
        try (InputStream in = SecretBoxTest.class.getResourceAsStream("/secrets/node-vectors.json")) {
            return Json.MAPPER.readTree(in);
        }
    }

    private static KeyRing ringFrom(JsonNode keys, String active) {
        Map<String, byte[]> retired = new HashMap<>();
        keys.fields().forEachRemaining(e -> {
            if (!e.getKey().equals(active)) {
                retired.put(e.getKey(), Base64.getDecoder().decode(e.getValue().asText()));
            }
        });
        return KeyRing.of(active, Base64.getDecoder().decode(keys.get(active).asText()), retired);
    }

    @Test
    void roundTripsAndWritesTheOriginalsLayout() {
        SecretBox box = new SecretBox(KeyRing.of("k1", key(), Map.of()));
        for (String plain : List.of("", "sk-live-0123456789abcdef", "héllo ✓ 🔑", "x".repeat(10_000))) {
            String env = box.encrypt(plain);
            assertTrue(env.startsWith("v1:k1:"), env);
            byte[] packed = Base64.getDecoder().decode(env.substring("v1:k1:".length()));
            // iv(12) ‖ tag(16) ‖ ciphertext (same length as the UTF-8 plaintext)
            assertEquals(12 + 16 + plain.getBytes(StandardCharsets.UTF_8).length, packed.length);
            assertEquals(plain, box.decrypt(env));
        }
        assertNotEquals(box.encrypt("same"), box.encrypt("same"), "a fresh IV per encryption");
    }

    @Test
    void decryptsBlobsWrittenByNodeCrypto() throws Exception {
        JsonNode v = nodeVectors();
        SecretBox box = new SecretBox(ringFrom(v.get("keys"), "k2"));
        int n = 0;
        for (JsonNode vec : v.get("vectors")) {
            assertEquals(vec.get("plaintext").asText(), box.decrypt(vec.get("envelope").asText()));
            assertEquals(vec.get("kid").asText(), SecretBox.kidOf(vec.get("envelope").asText()));
            n++;
        }
        assertTrue(n >= 6);
    }

    @Test
    void nodeDecryptsBlobsWrittenHere(@TempDir Path tmp) throws Exception {
        assumeTrue(nodeAvailable(), "node is not installed: the Java→Node direction is skipped");
        JsonNode v = nodeVectors();
        List<String> plains = List.of("", "sk-live-java-0123456789", "{\"v\":2,\"outputs\":{\"api_key\":\"abc\"}}",
                "unicode ✓ 日本語 🔑", "y".repeat(4000));
        ObjectNode input = Json.object();
        input.set("keys", v.get("keys"));
        ArrayNode envs = input.putArray("envelopes");
        SecretBox k1 = new SecretBox(ringFrom(v.get("keys"), "k1"));
        SecretBox k2 = new SecretBox(ringFrom(v.get("keys"), "k2"));
        List<String> expected = new ArrayList<>();
        for (String p : plains) {
            envs.add(k1.encrypt(p));
            envs.add(k2.encrypt(p));
            expected.add(p);
            expected.add(p);
        }
        Path script = tmp.resolve("node-decrypt.mjs");
        try (InputStream in = SecretBoxTest.class.getResourceAsStream("/secrets/node-decrypt.mjs")) {
            Files.copy(in, script);
        }
        Process p = new ProcessBuilder("node", script.toString()).redirectErrorStream(true).start();
        p.getOutputStream().write(Json.bytes(input));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        JsonNode result = Json.MAPPER.readTree(out).get("plaintexts");
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i), result.get(i).asText(), "envelope " + i + ": " + result.get(i));
        }
    }

    @Test
    void aWrongKeyFailsClearlyInsteadOfReturningGarbage() throws Exception {
        JsonNode v = nodeVectors();
        String fromNode = v.get("vectors").get(1).get("envelope").asText();
        SecretBox wrong = new SecretBox(KeyRing.of("k1", key(), Map.of()));
        SecretException e = assertThrows(SecretException.class, () -> wrong.decrypt(fromNode));
        assertTrue(e.getMessage().contains("integrity check failed"), e.getMessage());
        assertTrue(e.getMessage().contains("kid 'k1'"), e.getMessage());
        assertFalse(e.getMessage().contains(v.get("vectors").get(1).get("plaintext").asText()));

        SecretBox box = new SecretBox(KeyRing.of("k1", key(), Map.of()));
        String env = box.encrypt("tamper-me-please");
        char[] chars = env.toCharArray();
        int last = chars.length - 3;
        chars[last] = chars[last] == 'A' ? 'B' : 'A';
        assertThrows(SecretException.class, () -> box.decrypt(new String(chars)));
    }

    @Test
    void anUnknownKidNamesTheKid() throws Exception {
        JsonNode v = nodeVectors();
        String k2blob = v.get("vectors").get(3).get("envelope").asText();
        SecretBox onlyK1 = new SecretBox(ringFrom(((ObjectNode) v.get("keys").deepCopy()).without("k2"), "k1"));
        UnknownKeyIdException e = assertThrows(UnknownKeyIdException.class, () -> onlyK1.decrypt(k2blob));
        assertEquals("k2", e.kid());
        assertTrue(e.getMessage().contains("'k2'") && e.getMessage().contains("CONNECTION_ENCRYPTION_KEYS"), e.getMessage());
    }

    @Test
    void malformedEnvelopesAreRejectedWithTheOriginalsMessages() {
        SecretBox box = new SecretBox(KeyRing.of("k1", key(), Map.of()));
        assertEquals("Invalid envelope: expected 'v1:' prefix",
                assertThrows(SecretException.class, () -> box.decrypt("aGVsbG8=")).getMessage());
        assertEquals("Invalid v1 envelope: missing kid separator",
                assertThrows(SecretException.class, () -> box.decrypt("v1:k1")).getMessage());
        assertEquals("Invalid encrypted data: too short",
                assertThrows(SecretException.class, () -> box.decrypt("v1:k1:AAAA")).getMessage());
        assertThrows(SecretException.class, () -> box.decrypt("v1:bad kid:AAAA"));
    }

    @Test
    void keyRingEnvironmentIsValidatedWithEveryProblemNamed() {
        Map<String, String> env = new HashMap<>();
        env.put("CONNECTION_ENCRYPTION_KEY", b64(key()));
        env.put("CONNECTION_ENCRYPTION_KEY_ID", "k2");
        env.put("CONNECTION_ENCRYPTION_KEYS", "{\"k1\":\"" + b64(key()) + "\"}");
        KeyRing ring = KeyRing.fromEnvironment(env::get);
        assertEquals("k2", ring.activeKid());
        assertEquals(List.of("k2", "k1"), List.copyOf(ring.kids()));
        assertFalse(ring.toString().contains(env.get("CONNECTION_ENCRYPTION_KEY")));

        env.put("CONNECTION_ENCRYPTION_KEYS", "{\"k2\":\"" + b64(key()) + "\",\"k0\":\"c2hvcnQ=\",\"bad kid\":\"" + b64(key()) + "\"}");
        ConfigException e = assertThrows(ConfigException.class, () -> KeyRing.fromEnvironment(env::get));
        String msg = e.getMessage();
        assertTrue(msg.contains("contains the active kid 'k2'"), msg);
        assertTrue(msg.contains("CONNECTION_ENCRYPTION_KEYS['k0']: must be 32 bytes"), msg);
        assertTrue(msg.contains("kid 'bad kid'"), msg);

        env.put("CONNECTION_ENCRYPTION_KEYS", "not json");
        assertTrue(assertThrows(ConfigException.class, () -> KeyRing.fromEnvironment(env::get)).getMessage()
                .contains("not valid JSON"));
        env.remove("CONNECTION_ENCRYPTION_KEYS");
        env.put("CONNECTION_ENCRYPTION_KEY", "c2hvcnQ=");
        assertTrue(assertThrows(ConfigException.class, () -> KeyRing.fromEnvironment(env::get)).getMessage()
                .contains("decodes to 5 bytes"));
    }

    static boolean nodeAvailable() {
        try {
            Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (Exception e) {
            return false;
        }
    }
}
