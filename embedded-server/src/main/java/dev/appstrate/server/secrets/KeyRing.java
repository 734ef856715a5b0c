package dev.appstrate.server.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import dev.appstrate.server.config.ConfigException;
import dev.appstrate.server.config.EnvConfigLoader;
import dev.appstrate.server.json.Json;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys this process can use, by key id: the active one (encrypts everything new) and
 * retired ones (decrypt only, kept through a rotation window), as the original's keyring.
 */
public final class KeyRing {
    public static final Pattern KID = Pattern.compile("^[A-Za-z0-9_-]{1,32}$");
    static final String ACTIVE_KEY = "CONNECTION_ENCRYPTION_KEY";
    static final String ACTIVE_KID = "CONNECTION_ENCRYPTION_KEY_ID";
    public static final String RETIRED_KEYS = "CONNECTION_ENCRYPTION_KEYS";

    private final String activeKid;
    private final Map<String, SecretKey> keys;

    private KeyRing(String activeKid, Map<String, SecretKey> keys) {
        this.activeKid = activeKid;
        this.keys = Collections.unmodifiableMap(keys);
    }

    /** A ring from raw keys; the first argument's kid encrypts. */
    public static KeyRing of(String activeKid, byte[] activeKey, Map<String, byte[]> retired) {
        List<String> problems = new ArrayList<>();
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        if (activeKid == null || !KID.matcher(activeKid).matches()) {
            problems.add(ACTIVE_KID + ": must match /^[A-Za-z0-9_-]{1,32}$/ (for example k1 or k2)");
        }
        if (activeKey == null || activeKey.length != 32) {
            problems.add(ACTIVE_KEY + ": must be 32 bytes (256-bit) base64-encoded");
        } else {
            keys.put(activeKid, new SecretKeySpec(activeKey, "AES"));
        }
        retired.forEach((kid, key) -> {
            if (!KID.matcher(kid).matches()) {
                problems.add(RETIRED_KEYS + ": kid '" + kid + "' must match /^[A-Za-z0-9_-]{1,32}$/");
            } else if (kid.equals(activeKid)) {
                problems.add(RETIRED_KEYS + ": contains the active kid '" + kid
                        + "' — retired keys must use a different kid than " + ACTIVE_KID);
            } else if (key == null || key.length != 32) {
                problems.add(RETIRED_KEYS + "['" + kid + "']: must be 32 bytes (256-bit) base64-encoded");
            } else {
                keys.put(kid, new SecretKeySpec(key, "AES"));
            }
        });
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return new KeyRing(activeKid, keys);
    }

    /** Reads the three variables from an environment; every problem is reported together. */
    public static KeyRing fromEnvironment(Function<String, String> env) {
        List<String> problems = new ArrayList<>();
        String kid = blankToNull(env.apply(ACTIVE_KID));
        if (kid == null) {
            kid = "k1";
        }
        String rawKey = blankToNull(env.apply(ACTIVE_KEY));
        byte[] key = null;
        if (rawKey == null) {
            problems.add(ACTIVE_KEY + ": required: exactly 32 bytes, base64-encoded (AES-256 for stored credentials). "
                    + "Generate one with: openssl rand -base64 32");
        } else {
            key = EnvConfigLoader.decodeBase64(rawKey.trim());
            if (key == null || key.length != 32) {
                problems.add(ACTIVE_KEY + ": must be 32 bytes (256-bit) base64-encoded"
                        + (key == null ? ", but it is not valid base64" : ", but it decodes to " + key.length + " bytes"));
                key = null;
            }
        }
        Map<String, byte[]> retired = retiredKeys(env.apply(RETIRED_KEYS), kid, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return of(kid, key, retired);
    }

    /** Keys from the server's validated config plus CONNECTION_ENCRYPTION_KEYS, which only this module reads. */
    public static KeyRing fromConfig(byte[] activeKey, String activeKid, String retiredJson) {
        List<String> problems = new ArrayList<>();
        Map<String, byte[]> retired = retiredKeys(retiredJson, activeKid, problems);
        if (!problems.isEmpty()) {
            throw new ConfigException(problems);
        }
        return of(activeKid, activeKey, retired);
    }

    private static Map<String, byte[]> retiredKeys(String json, String activeKid, List<String> problems) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        json = blankToNull(json);
        if (json == null) {
            return out;
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (Exception e) {
            problems.add(RETIRED_KEYS + ": must be a JSON object of retired keys, e.g. {\"k1\":\"<base64 32-byte key>\"} "
                    + "(it is not valid JSON)");
            return out;
        }
        if (node == null || !node.isObject()) {
            problems.add(RETIRED_KEYS + ": must be a JSON object of retired keys, e.g. {\"k1\":\"<base64 32-byte key>\"}");
            return out;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KID.matcher(e.getKey()).matches()) {
                problems.add(RETIRED_KEYS + ": kid '" + e.getKey() + "' must match /^[A-Za-z0-9_-]{1,32}$/");
                continue;
            }
            if (e.getKey().equals(activeKid)) {
                problems.add(RETIRED_KEYS + ": contains the active kid '" + e.getKey()
                        + "' — retired keys must use a different kid than " + ACTIVE_KID);
                continue;
            }
            if (!e.getValue().isTextual()) {
                problems.add(RETIRED_KEYS + "['" + e.getKey() + "']: must be a base64 string");
                continue;
            }
            byte[] key = EnvConfigLoader.decodeBase64(e.getValue().asText().trim());
            if (key == null || key.length != 32) {
                problems.add(RETIRED_KEYS + "['" + e.getKey() + "']: must be 32 bytes (256-bit) base64-encoded"
                        + (key == null ? ", but it is not valid base64" : ", but it decodes to " + key.length + " bytes"));
                continue;
            }
            out.put(e.getKey(), key);
        }
        return out;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    public String activeKid() {
        return activeKid;
    }

    /** Every kid this ring opens: the active one first, then the retired ones. */
    public Set<String> kids() {
        return keys.keySet();
    }

    public boolean has(String kid) {
        return keys.containsKey(kid);
    }

    SecretKey key(String kid) {
        SecretKey k = keys.get(kid);
        if (k == null) {
            throw new UnknownKeyIdException(kid);
        }
        return k;
    }

    @Override
    public String toString() {
        // never print key material
        return "KeyRing[active=" + activeKid + ", kids=" + keys.keySet() + "]";
    }
}
