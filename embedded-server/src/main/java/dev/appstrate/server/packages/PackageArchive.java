package dev.appstrate.server.packages;

import dev.appstrate.server.http.ApiException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipFile;
import org.apache.commons.compress.utils.SeekableInMemoryByteChannel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The files of an {@code .afps} ZIP, read entirely in memory and refused as a whole when anything
 * is unsafe: traversal or absolute paths, symlinks, size caps, zip bombs, encrypted or duplicate
 * entries. Nothing is written anywhere while reading.
 */
public final class PackageArchive {
    private static final Logger LOG = LoggerFactory.getLogger(PackageArchive.class);
    public static final long MAX_COMPRESSED_BYTES = 10L * 1024 * 1024;
    public static final long MAX_UNCOMPRESSED_BYTES = 50L * 1024 * 1024;
    public static final int MAX_ENTRIES = 2000;
    /** An entry that inflates more than this many times its stored size is treated as a bomb. */
    public static final int MAX_RATIO = 100;
    /** Ratios are only judged past this size, so tiny highly-compressible files stay fine. */
    private static final long RATIO_FLOOR_BYTES = 1024 * 1024;
    private static final int S_IFMT = 0170000;
    private static final int S_IFLNK = 0120000;

    private final Map<String, byte[]> files;

    private PackageArchive(Map<String, byte[]> files) {
        this.files = Collections.unmodifiableMap(files);
    }

    public Map<String, byte[]> files() {
        return files;
    }

    public Optional<byte[]> file(String path) {
        return Optional.ofNullable(files.get(path));
    }

    public static PackageArchive read(byte[] zip) {
        if (zip.length > MAX_COMPRESSED_BYTES) {
            throw error("file_too_large", "Package is " + zip.length + " bytes; at most " + MAX_COMPRESSED_BYTES
                    + " bytes (10 MB) compressed are accepted");
        }
        if (zip.length < 4 || zip[0] != 'P' || zip[1] != 'K') {
            throw error("zip_invalid", "The file is not a ZIP archive");
        }
        try (ZipFile zf = ZipFile.builder().setSeekableByteChannel(new SeekableInMemoryByteChannel(zip)).get()) {
            Map<String, byte[]> entries = readEntries(zf);
            checkLocalNames(zip, zf);
            return new PackageArchive(stripWrapper(entries));
        } catch (ApiException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            // the ZIP library's words ("Error reading Zip content from SeekableInMemoryByteChannel") mean nothing to the user
            LOG.debug("Package archive not readable: {}", e.toString());
            throw error("zip_invalid", "The file is not a readable ZIP archive: it is cut short or damaged");
        }
    }

    private static Map<String, byte[]> readEntries(ZipFile zf) throws IOException {
        List<ZipArchiveEntry> entries = Collections.list(zf.getEntriesInPhysicalOrder());
        if (entries.size() > MAX_ENTRIES) {
            throw error("zip_invalid", "The archive has " + entries.size() + " entries; at most " + MAX_ENTRIES);
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        long total = 0;
        for (ZipArchiveEntry e : entries) {
            String name = e.getName();
            checkPath(name);
            if ((e.getUnixMode() & S_IFMT) == S_IFLNK || e.isUnixSymlink()) {
                throw error("unsafe_entry", "The archive contains a symbolic link: " + name);
            }
            if (e.isDirectory() || name.startsWith("__MACOSX/") || name.endsWith("/.DS_Store") || name.equals(".DS_Store")) {
                continue;
            }
            if (e.getGeneralPurposeBit().usesEncryption() || !zf.canReadEntryData(e)) {
                throw error("zip_invalid", "Entry '" + name + "' is encrypted or uses an unsupported compression method");
            }
            long budget = MAX_UNCOMPRESSED_BYTES - total;
            byte[] data;
            try (InputStream in = zf.getInputStream(e)) {
                data = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, budget + 1));
            }
            total += data.length;
            if (total > MAX_UNCOMPRESSED_BYTES) {
                throw error("file_too_large", "Package content exceeds " + MAX_UNCOMPRESSED_BYTES
                        + " bytes (50 MB) once decompressed");
            }
            long stored = Math.max(1, e.getCompressedSize());
            if (data.length > RATIO_FLOOR_BYTES && data.length / stored > MAX_RATIO) {
                throw error("zip_bomb", "Entry '" + name + "' expands " + (data.length / stored)
                        + " times its compressed size; refusing a likely zip bomb");
            }
            if (out.put(name, data) != null) {
                throw error("zip_invalid", "The archive contains '" + name + "' twice");
            }
        }
        return out;
    }

    /**
     * Refuses an archive whose local headers name entries differently from its central directory: a
     * streaming reader downstream (which sees only local headers) would extract what was never checked.
     */
    private static void checkLocalNames(byte[] zip, ZipFile zf) throws IOException {
        List<String> central = new ArrayList<>();
        for (ZipArchiveEntry e : Collections.list(zf.getEntriesInPhysicalOrder())) {
            central.add(e.getName());
        }
        List<String> local = new ArrayList<>();
        try (ZipArchiveInputStream in = new ZipArchiveInputStream(new ByteArrayInputStream(zip), "UTF-8", true, true)) {
            for (ZipArchiveEntry e; (e = in.getNextEntry()) != null; ) {
                local.add(e.getName());
                if (local.size() > central.size()) {
                    break;
                }
            }
        }
        if (!local.equals(central)) {
            for (int i = 0; i < Math.min(local.size(), central.size()); i++) {
                if (!local.get(i).equals(central.get(i))) {
                    throw error("unsafe_entry", "Entry '" + central.get(i) + "' is named '" + local.get(i).replace("\0", "\\0")
                            + "' in its local header; the two names must match");
                }
            }
            throw error("unsafe_entry", "The archive's local headers list " + local.size() + " entries and its central directory "
                    + central.size() + "; the two must match");
        }
    }

    /** Refuses names that could escape the package folder once extracted. */
    static void checkPath(String name) {
        boolean bad = name.isEmpty() || name.startsWith("/") || name.contains("\\") || name.indexOf('\0') >= 0
                || (name.length() > 1 && name.charAt(1) == ':');
        if (!bad) {
            for (String seg : name.split("/")) {
                if (seg.equals("..")) {
                    bad = true;
                    break;
                }
            }
        }
        if (bad) {
            throw error("unsafe_entry", "The archive contains an unsafe path: '" + name.replace("\0", "\\0")
                    + "' (absolute, parent-relative or with backslashes)");
        }
    }

    /** One folder wrapping everything (as zipping a folder does) is stripped, as the original does. */
    private static Map<String, byte[]> stripWrapper(Map<String, byte[]> files) {
        if (files.isEmpty() || files.containsKey("manifest.json")) {
            return files;
        }
        String prefix = null;
        for (String name : files.keySet()) {
            int slash = name.indexOf('/');
            if (slash < 0) {
                return files;
            }
            String p = name.substring(0, slash + 1);
            if (prefix == null) {
                prefix = p;
            } else if (!prefix.equals(p)) {
                return files;
            }
        }
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            out.put(f.getKey().substring(prefix.length()), f.getValue());
        }
        return out;
    }

    /** File names, for error messages. */
    public List<String> names() {
        return new ArrayList<>(files.keySet());
    }

    static ApiException error(String code, String detail) {
        return new ApiException(400, code, detail);
    }
}
