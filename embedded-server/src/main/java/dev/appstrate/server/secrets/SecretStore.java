package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.logging.Redactor;

/**
 * The one way server code seals and opens secrets (connections, model-provider credentials, sink
 * secrets). Store what {@link #seal} returns in a column named {@code *_encrypted}: the rotate-key
 * command finds such columns by name. Every value sealed or opened is taught to the {@link Redactor}.
 */
public final class SecretStore {
    /** Plaintext JSON keys whose values describe a secret rather than being one. */
    static final java.util.Set<String> DESCRIPTIVE = java.util.Set.of("v", "kind", "type", "provider", "providerId",
            "baseUrl", "baseUrlOverride", "expiresAt", "expires_at", "token_type", "tokenType", "scope", "scopes");

    private final SecretBox box;
    private final Redactor redactor;

    public SecretStore(SecretBox box, Redactor redactor) {
        this.box = box;
        this.redactor = redactor;
    }

    public SecretBox box() {
        return box;
    }

    public Redactor redactor() {
        return redactor;
    }

    public String activeKid() {
        return box.keyRing().activeKid();
    }

    /** Encrypts one string secret. */
    public String seal(String plaintext) {
        redactor.add(plaintext);
        return box.encrypt(plaintext);
    }

    /** Decrypts one string secret. */
    public String open(String envelope) {
        String plain = box.decrypt(envelope);
        redactor.add(plain);
        return plain;
    }

    /** Encrypts a JSON object (e.g. {@code {"kind":"api_key","apiKey":"…"}}); its string leaves are redacted from logs. */
    public String sealJson(Object value) {
        JsonNode node = Json.MAPPER.valueToTree(value);
        learn(node);
        return box.encrypt(Json.string(node));
    }

    /** Decrypts a JSON object sealed with {@link #sealJson}. */
    public JsonNode openJson(String envelope) {
        String plain = box.decrypt(envelope);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(plain);
        } catch (Exception e) {
            throw new SecretException("Invalid encrypted data: plaintext is not JSON");
        }
        learn(node);
        return node;
    }

    private void learn(JsonNode node) {
        if (node == null) {
            return;
        }
        if (node.isTextual()) {
            redactor.add(node.asText());
        } else if (node.isArray()) {
            node.elements().forEachRemaining(this::learn);
        } else if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                // descriptive fields such as {"kind":"api_key"} are not secrets: masking them would garble logs
                if (!DESCRIPTIVE.contains(e.getKey())) {
                    learn(e.getValue());
                }
            });
        }
    }
}
