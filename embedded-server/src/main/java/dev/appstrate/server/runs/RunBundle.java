package dev.appstrate.server.runs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.appstrate.server.json.Json;
import dev.appstrate.server.packages.AgentPackage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.LocalDateTime;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * The original's run bundle ({@code .afps-bundle}): a deterministic store-only ZIP with a canonical
 * {@code bundle.json} index and each package under {@code packages/@scope/name/version/} with its RECORD.
 */
public final class RunBundle {
    /** The original writes every entry with this time, so the same packages give the same bytes. */
    private static final LocalDateTime MTIME = LocalDateTime.of(1980, 1, 2, 12, 0);

    private RunBundle() {
    }

    /** The agent's files: its manifest and its prompt, as an imported package holds them. */
    public static Map<String, byte[]> agentFiles(AgentPackage agent) {
        Map<String, byte[]> files = new TreeMap<>();
        files.put("manifest.json", Json.string(canonical(agent.manifest())).getBytes(StandardCharsets.UTF_8));
        files.put("prompt.md", agent.prompt().getBytes(StandardCharsets.UTF_8));
        return files;
    }

    /** A bundle whose root is this agent, at its version. */
    public static byte[] of(AgentPackage agent) {
        return write(agent.id(), agent.version(), agentFiles(agent));
    }

    static byte[] write(String packageId, String version, Map<String, byte[]> files) {
        String key = packageId + "@" + version;
        String dir = "packages/" + packageId + "/" + version + "/";
        String record = record(files);
        Map<String, byte[]> entries = new TreeMap<>();
        files.forEach((name, bytes) -> entries.put(dir + name, bytes));
        entries.put(dir + "RECORD", record.getBytes(StandardCharsets.UTF_8));
        ObjectNode packages = Json.object();
        packages.set(key, Json.object().put("integrity", sri(record.getBytes(StandardCharsets.UTF_8))).put("path", dir));
        ObjectNode index = Json.object();
        index.put("bundleFormatVersion", "1.0");
        index.put("integrity", sri(Json.string(canonical(packages)).getBytes(StandardCharsets.UTF_8)));
        index.set("packages", packages);
        index.put("root", key);
        Map<String, byte[]> zip = new LinkedHashMap<>();
        zip.put("bundle.json", Json.string(canonical(index)).getBytes(StandardCharsets.UTF_8));
        zip.putAll(entries);
        return zip(zip);
    }

    /** {@code <path>,sha256=<base64 without padding>,<size>} per file, sorted, LF, trailing newline. */
    static String record(Map<String, byte[]> files) {
        StringBuilder sb = new StringBuilder();
        new TreeMap<>(files).forEach((name, bytes) -> sb.append(name).append(",sha256=")
                .append(Base64.getEncoder().withoutPadding().encodeToString(sha256(bytes))).append(',').append(bytes.length).append('\n'));
        return sb.toString();
    }

    static String sri(byte[] bytes) {
        return "sha256-" + Base64.getEncoder().encodeToString(sha256(bytes));
    }

    /** Keys sorted at every level: the canonical JSON the original hashes. */
    static JsonNode canonical(JsonNode n) {
        if (n.isObject()) {
            TreeMap<String, JsonNode> sorted = new TreeMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                sorted.put(e.getKey(), canonical(e.getValue()));
            }
            ObjectNode o = Json.object();
            sorted.forEach(o::set);
            return o;
        }
        if (n.isArray()) {
            var a = Json.MAPPER.createArrayNode();
            n.forEach(x -> a.add(canonical(x)));
            return a;
        }
        return n;
    }

    private static byte[] zip(Map<String, byte[]> entries) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                ZipEntry entry = new ZipEntry(e.getKey());
                entry.setMethod(ZipEntry.STORED);
                entry.setSize(e.getValue().length);
                entry.setCompressedSize(e.getValue().length);
                CRC32 crc = new CRC32();
                crc.update(e.getValue());
                entry.setCrc(crc.getValue());
                entry.setTimeLocal(MTIME);
                z.putNextEntry(entry);
                z.write(e.getValue());
                z.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
