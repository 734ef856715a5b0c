package dev.appstrate.server.storage;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the server keeps its files (package bundles, run documents): a folder on disk, or an S3-compatible bucket when
 * {@code S3_BUCKET} is set. Keys are slash-separated relative paths such as {@code packages/@scope/name/1.0.0.afps}.
 */
public interface BlobStore {
    /** Writes the whole object; a reader never sees it half-written. */
    void put(String key, byte[] bytes);

    /** Where uploads are spooled before {@link #putFile} takes them ({@code storage/.uploads} in the data folder). */
    UploadStaging staging();

    /** Stores the file's content as the object without reading it into memory (moved or sent); the caller deletes what is left. */
    void putFile(String key, Path file);

    /** The object's bytes; an {@link java.io.UncheckedIOException} when it is missing or unreadable. */
    byte[] get(String key);

    /** The object's content as a stream the caller closes (a download never holds it whole); unchecked when missing or unreadable. */
    InputStream open(String key);

    /** Every key under {@code prefix} (which ends with a slash), in no particular order. */
    List<String> list(String prefix);

    /** Deletes one object; a missing one is not an error. */
    void delete(String key);

    /** Deletes every object under {@code prefix}; nothing there is not an error. */
    void deletePrefix(String prefix);

    /** What the boot log says, e.g. {@code filesystem path=/data/storage} or {@code s3 bucket=b endpoint=http://…}. */
    String describe();
}
