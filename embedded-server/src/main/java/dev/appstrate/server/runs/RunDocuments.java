package dev.appstrate.server.runs;

import dev.appstrate.server.http.ApiException;
import dev.appstrate.server.storage.BlobStore;
import dev.appstrate.server.store.Times;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Collection;
import java.util.HexFormat;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The documents runs publish: a row in {@code run_documents} and the bytes in the server's {@link BlobStore} (the data
 * folder's {@code storage/} or the S3 bucket, so any instance serves what another stored). Deleted with their run.
 */
public final class RunDocuments {
    private static final Logger LOG = LoggerFactory.getLogger(RunDocuments.class);
    /** The original's RUN_MAX_DOCUMENTS default. */
    static final int MAX_PER_RUN = 200;
    private final RunDocumentRepository repo;
    private final BlobStore blobs;
    private final Clock clock;

    public RunDocuments(RunDocumentRepository repo, BlobStore blobs, Clock clock) {
        this.repo = repo;
        this.blobs = blobs;
        this.clock = clock;
    }

    /** A stored document, and whether this call stored it (false: the same bytes and name were published before). */
    public record Published(RunDocument document, boolean created) {
    }

    /**
     * Streams the body into a staging file (hashing and counting as it goes, never more than {@code maxBytes}: 413 and
     * nothing kept), then hands the file to the store and writes the row; a refused write is a 503 that leaves neither.
     */
    public Published publish(RunRecord run, String name, String mime, String presentation, InputStream body, long maxBytes) {
        Path staged;
        try {
            staged = blobs.staging().newFile();
        } catch (IOException e) {
            throw unavailable(run, name, e.getMessage());
        }
        try {
            MessageDigest digest = digest();
            long size = 0;
            try (OutputStream out = Files.newOutputStream(staged)) {
                byte[] buf = new byte[64 * 1024];
                for (int n; (n = body.read(buf)) != -1; ) {
                    size += n;
                    if (size > maxBytes) {
                        throw new ApiException(413, "payload_too_large", "Payload Too Large",
                                "A document may be at most " + maxBytes + " bytes (DOCUMENT_MAX_FILE_BYTES)")
                                .header("Connection", "close");
                    }
                    digest.update(buf, 0, n);
                    out.write(buf, 0, n);
                }
            } catch (IOException e) {
                throw unavailable(run, name, e.getMessage());
            }
            return store(run, name, mime, presentation, HexFormat.of().formatHex(digest.digest()), size, staged);
        } finally {
            try {
                Files.deleteIfExists(staged);
            } catch (IOException e) {
                LOG.warn("Staged upload {} not deleted: {}", staged, e.getMessage());
            }
        }
    }

    private Published store(RunRecord run, String name, String mime, String presentation, String sha256, long size, Path staged) {
        var same = repo.same(run.id(), name, sha256);
        if (same.isPresent()) {
            return new Published(same.get(), false);
        }
        if (repo.countOfRun(run.id()) >= MAX_PER_RUN) {
            throw new ApiException(413, "document_count_exceeded", "Payload Too Large",
                    "A run may publish at most " + MAX_PER_RUN + " documents");
        }
        RunDocument d = new RunDocument("doc_" + UUID.randomUUID().toString().replace("-", ""), run.id(), run.scope().applicationId(),
                run.scope().packageId(), name, mime, size, sha256, presentation, Times.iso(clock.instant()));
        // the bytes first, under a fresh key nothing points at yet: the database's write lock is never held across a network put
        try {
            blobs.putFile(d.key(), staged);
        } catch (UncheckedIOException e) {
            throw unavailable(run, name, e.getMessage());
        }
        try {
            repo.insert(d);
        } catch (RuntimeException e) {
            forget(d.key());
            throw e;
        }
        LOG.info("Document stored runId={} documentId={} size={}", run.id(), d.id(), d.size());
        return new Published(d, true);
    }

    private ApiException unavailable(RunRecord run, String name, String reason) {
        LOG.warn("Document not stored runId={} name={}: {}", run.id(), name, reason);
        return new ApiException(503, "storage_unavailable", "Service Unavailable", "The document could not be stored: " + reason);
    }

    /** Deletes the row, then the object (a failure there is logged: the object is unreachable once its row is gone). */
    public boolean delete(String applicationId, String id) {
        var d = repo.find(applicationId, id);
        if (d.isEmpty() || !repo.delete(applicationId, id)) {
            return false;
        }
        forget(d.get().key());
        LOG.info("Document deleted documentId={} runId={}", id, d.get().runId());
        return true;
    }

    /** The document's content, opened before any answer is sent (the caller closes it); a 503 when the store cannot give it. */
    public InputStream content(RunDocument d) {
        try {
            return blobs.open(d.key());
        } catch (UncheckedIOException e) {
            LOG.warn("Document unreadable documentId={}: {}", d.id(), e.getMessage());
            throw new ApiException(503, "storage_unavailable", "Service Unavailable", "The document's content cannot be read now");
        }
    }

    /** After their rows are gone (cascaded with the runs): the runs' objects. Failures are logged, the rest still deleted. */
    public void forgetRuns(Collection<String> runIds) {
        for (String runId : runIds) {
            try {
                blobs.deletePrefix("runs/" + runId + "/");
            } catch (RuntimeException e) {
                LOG.warn("Objects of deleted run {} not deleted (they are unreachable, delete runs/{}/ by hand): {}", runId, runId,
                        e.getMessage());
            }
        }
    }

    private void forget(String key) {
        try {
            blobs.delete(key);
        } catch (RuntimeException e) {
            LOG.warn("Unreferenced object {} not deleted: {}", key, e.getMessage());
        }
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
