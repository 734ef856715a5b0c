package dev.appstrate.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;

/** Builds package ZIPs (well-formed and hostile) and the multipart bodies that upload them. */
public final class PackageZips {
    private PackageZips() {
    }

    public static String manifest(String name, String version) {
        return "{\"name\":\"" + name + "\",\"version\":\"" + version + "\",\"type\":\"agent\",\"schema_version\":\"0.1\","
                + "\"display_name\":\"Agent " + name + "\",\"author\":\"tests\",\"description\":\"A test agent\"}";
    }

    public static byte[] agent(String name, String version, String prompt) {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("manifest.json", manifest(name, version).getBytes(StandardCharsets.UTF_8));
        files.put("prompt.md", prompt.getBytes(StandardCharsets.UTF_8));
        return zip(files);
    }

    public static byte[] zip(Map<String, byte[]> files) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                ZipArchiveEntry e = new ZipArchiveEntry(f.getKey());
                e.setTime(315576000000L);
                z.putArchiveEntry(e);
                z.write(f.getValue());
                z.closeArchiveEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A ZIP whose entry {@code name} is a symbolic link to {@code target} (Unix mode in the external attributes). */
    public static byte[] withSymlink(String name, String target) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(out)) {
            for (Map.Entry<String, String> f : Map.of("manifest.json", manifest("@evil/link", "1.0.0"),
                    "prompt.md", "hi").entrySet()) {
                ZipArchiveEntry e = new ZipArchiveEntry(f.getKey());
                z.putArchiveEntry(e);
                z.write(f.getValue().getBytes(StandardCharsets.UTF_8));
                z.closeArchiveEntry();
            }
            ZipArchiveEntry link = new ZipArchiveEntry(name);
            link.setUnixMode(0120777);
            z.putArchiveEntry(link);
            z.write(target.getBytes(StandardCharsets.UTF_8));
            z.closeArchiveEntry();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** A {@code multipart/form-data} body with one file field; returns {contentType, body}. */
    public static Object[] multipart(String field, String fileName, byte[] content) {
        String boundary = "----appstrate-test-" + UUID.randomUUID();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String head = "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + field + "\"; filename=\"" + fileName
                + "\"\r\nContent-Type: application/zip\r\n\r\n";
        out.writeBytes(head.getBytes(StandardCharsets.UTF_8));
        out.writeBytes(content);
        out.writeBytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8));
        return new Object[]{"multipart/form-data; boundary=" + boundary, out.toByteArray()};
    }
}
